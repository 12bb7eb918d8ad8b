// The Kafka client runs each of its blocking calls (a connect, a transaction's offsets, a consume, an admin
// request, a disconnect) on Node's libuv threadpool, 4 threads by default. A call librdkafka never answers keeps
// its thread for good, even after the shop gave up on it and replaced the client. After four such calls every later
// call of every client in the process waits behind them, and the service stands still without a line: seen in the
// cluster tests after a broker loss, where two failed producers left their offsets and their disconnects hanging.
// 64 threads leave room for many; an idle one costs little. Imported first by every entry point: libuv reads the
// variable when its threadpool first starts. That is too late on Node 20, which has started it by then, so the image
// sets the variable itself (deploy/Dockerfile). An explicit UV_THREADPOOL_SIZE wins.
process.env.UV_THREADPOOL_SIZE ??= '64';

export {};
