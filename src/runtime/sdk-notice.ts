/**
 * The AWS SDK prints a multi-line notice in every process on Node below 22 (its releases
 * after the first week of January 2027 need Node 22). sirbot runs on Node 20 here and on
 * Lambda's nodejs22.x; README's requirements say it once, so processes do not repeat it.
 * An operator who wants the notice back sets the variable to anything but "true".
 * Imported first by every entry point: the SDK reads the variable when a client is made.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
