// Imported first by the entry points (the CLI, the demo), before anything loads the AWS SDK:
// its clients print a Node-version notice of their own (process.emitWarning, plain text) that
// would break JSON log output and tells pgshift's users nothing they can act on; package.json's
// engines and the README say which Node versions pgshift supports. An explicit setting in the
// environment wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
