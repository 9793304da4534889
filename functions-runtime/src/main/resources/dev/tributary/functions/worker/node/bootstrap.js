'use strict';
// Tributary's node worker: loads one function's code and serves its activations, one at a time, over
// the Unix socket given on the command line, speaking the worker protocol (one JSON object per line).
//   node bootstrap.js --socket PATH --token T [--code DIR --handler H --module M]
// Without --code it is a spare: it says hello at once and waits for a `load` message.
const net = require('net');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const MAX_LOG_BYTES = 65536;
const LOG_TRUNCATED = '\n[log truncated: activation logs are kept up to 64 KiB]\n';
const MAX_RESULT_BYTES = 1048576;

// What an activation (or the loading of the code) writes, cut at MAX_LOG_BYTES on a character boundary.
class Logs {
  constructor() { this.parts = []; this.bytes = 0; this.truncated = false; }

  append(text) {
    if (this.truncated || text.length === 0) return;
    const size = Buffer.byteLength(text);
    if (this.bytes + size <= MAX_LOG_BYTES) {
      this.parts.push(text);
      this.bytes += size;
      return;
    }
    const utf8 = Buffer.from(text);
    let end = MAX_LOG_BYTES - this.bytes;
    while (end > 0 && (utf8[end] & 0xc0) === 0x80) end--; // do not split a multi-byte character
    this.parts.push(utf8.toString('utf8', 0, end));
    this.bytes += end;
    this.truncated = true;
  }

  toString() { return this.parts.join('') + (this.truncated ? LOG_TRUNCATED : ''); }
}

// User code writes through console.* and process.std{out,err}.write; while `capture` is set those
// writes go to it instead of the real fds (console.* ends in stream.write, so patching write covers both).
let capture = null;
const realStderrWrite = process.stderr.write.bind(process.stderr);
for (const stream of [process.stdout, process.stderr]) {
  const realWrite = stream.write.bind(stream);
  stream.write = (chunk, encoding, callback) => {
    if (capture === null) return realWrite(chunk, encoding, callback);
    if (typeof encoding === 'function') [callback, encoding] = [encoding, undefined];
    capture.append(typeof chunk === 'string' && !encoding ? chunk : Buffer.from(chunk, encoding).toString());
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  };
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 === argv.length) {
      throw new Error(`Expected '--name value' pairs on the command line, but got '${argv[i]}'`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  return args;
}

function text(value) {
  try { return String(value); } catch { return util.inspect(value); } // e.g. Object.create(null)
}

// The protocol's error: err.name, or the subclass's name for `class CardDeclined extends Error {}`.
function describe(err) {
  if (!(err instanceof Error || util.types.isNativeError(err))) return { type: 'Error', message: text(err) };
  let type = typeof err.name === 'string' && err.name ? err.name : 'Error';
  const constructorName = err.constructor && err.constructor.name;
  if (type === 'Error' && typeof constructorName === 'string' && constructorName) type = constructorName;
  return { type, message: err.message === undefined ? '' : text(err.message) };
}

// A failure's stack goes to its logs: the error itself carries only type and message.
function failure(err, logs) {
  if (err && typeof err.stack === 'string') logs.append(err.stack + '\n');
  return { ok: false, error: describe(err) };
}

// Handler "[module.]export"; the module is looked up in the code directory, not in node's paths.
async function loadHandler(code, handler, defaultModule) {
  const dot = handler.lastIndexOf('.');
  const moduleName = dot >= 0 ? handler.slice(0, dot) : defaultModule;
  const exportName = dot >= 0 ? handler.slice(dot + 1) : handler;
  const file = path.resolve(code, moduleName);
  let exported;
  try {
    exported = require(file);
  } catch (err) {
    if (err.code !== 'ERR_REQUIRE_ESM') throw err;
    exported = await import(pathToFileURL(require.resolve(file)).href); // a .js in a "type": "module" package
  }
  let fn = exported == null ? undefined : exported[exportName];
  if (fn === undefined && typeof exported === 'function') fn = exported; // module.exports = fn
  if (fn === undefined && exported && typeof exported.default === 'function') fn = exported.default;
  if (typeof fn !== 'function') {
    const found = fn === undefined ? 'it has no such export' : `it is ${typeof fn}`;
    const err = new Error(`Expected module '${moduleName}' to export a function '${exportName}', but ${found}`);
    err.name = 'FunctionError';
    throw err;
  }
  return fn;
}

let handlerFn = null;
let initLogs = null; // what loading the code wrote: the first activation's logs start with it

async function load(code, handler, defaultModule) {
  const logs = new Logs();
  capture = logs;
  try {
    handlerFn = await loadHandler(code, handler || 'main', defaultModule || 'index');
    initLogs = logs;
    return { ok: true };
  } catch (err) {
    return { ...failure(err, logs), logs: logs.toString() };
  } finally {
    capture = null;
  }
}

function resultAnswer(result, functionName) {
  let json;
  try {
    json = JSON.stringify(result);
  } catch (err) { // BigInt, cycles, a throwing toJSON
    return { ok: false, error: { type: 'FunctionError', message: `the result of function '${functionName}' cannot be serialised to JSON: ${err.message}` } };
  }
  if (json === undefined) json = 'null'; // undefined, a function, a symbol
  if (Buffer.byteLength(json) > MAX_RESULT_BYTES) {
    return { ok: false, error: { type: 'LimitExceeded', message: `the result of function '${functionName}' is over the limit 'function result' of ${MAX_RESULT_BYTES} bytes` } };
  }
  return { ok: true, json };
}

const args = parseArgs(process.argv.slice(2));
const socket = net.createConnection(args.socket);
let current = null; // the activation being served: { id, logs, answered, onAnswer }

function send(message, afterwards) {
  socket.write(JSON.stringify(message) + '\n', afterwards);
}

// Answers an activation once; whatever its code still does afterwards is not its to report.
function answer(activation, outcome, afterwards) {
  if (activation.answered) return;
  activation.answered = true;
  if (current === activation) [current, capture] = [null, null];
  const id = JSON.stringify(activation.id);
  const logs = JSON.stringify(activation.logs.toString());
  const line = outcome.ok
    ? `{"done":${id},"ok":true,"result":${outcome.json},"logs":${logs}}\n` // the result is serialised once
    : `{"done":${id},"ok":false,"error":${JSON.stringify(outcome.error)},"logs":${logs}}\n`;
  socket.write(line, afterwards);
  activation.onAnswer();
}

function invoke(message) {
  const ctx = message.context || {};
  const activation = { id: message.invoke, logs: initLogs || new Logs(), answered: false };
  initLogs = null;
  [current, capture] = [activation, activation.logs];
  // The next message waits for this answer, not for the handler: an unhandled rejection may answer first.
  const answered = new Promise((resolve) => { activation.onAnswer = resolve; });
  callHandler(message.input, ctx).then(
    (result) => answer(activation, resultAnswer(result, ctx.function_name)),
    (err) => answer(activation, failure(err, activation.logs)));
  return answered;
}

async function callHandler(input, ctx) {
  if (handlerFn === null) throw new Error('Expected a load message before the first invoke, but this spare worker got none');
  return handlerFn(input, {
    functionName: ctx.function_name,
    activationId: ctx.activation_id,
    idempotencyKey: ctx.idempotency_key,
    attempt: ctx.attempt,
    getRemainingTimeInMillis: () => Math.max(0, ctx.deadline_ms - Date.now()),
  });
}

async function loadSpare({ code, handler, module, env, scratch }) {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env || {});
  if (scratch) process.chdir(scratch);
  const loaded = await load(code, handler, module);
  if (loaded.ok) return send({ loaded: true });
  send({ loaded: false, error: loaded.error, logs: loaded.logs }, () => process.exit(0));
}

function leave(err) {
  realStderrWrite(`tributary node worker: ${err && err.stack || text(err)}\n`);
  process.exit(1);
}

// After an uncaught exception node's state is unknown: fail the activation it broke, then leave.
process.on('uncaughtException', (err) => {
  if (current) return answer(current, failure(err, current.logs), () => process.exit(1));
  realStderrWrite(`tributary node worker: uncaught exception outside an activation: ${util.inspect(err)}\n`);
  process.exit(1);
});
// A rejected promise nobody awaited leaves the process sound: fail the activation and keep serving.
process.on('unhandledRejection', (reason) => {
  if (current) return answer(current, failure(reason, current.logs));
  realStderrWrite(`tributary node worker: unhandled rejection outside an activation: ${util.inspect(reason)}\n`);
});

// Messages are handled strictly in order: one activation at a time. A step that fails is the
// bootstrap's own fault (user code's failures are answered): the server sees the socket close.
let queue = Promise.resolve();
const enqueue = (step) => { queue = queue.then(step).catch(leave); };

socket.on('connect', () => enqueue(async () => {
  if (args.code === undefined) return send({ hello: args.token, pid: process.pid, ok: true, spare: true });
  const loaded = await load(args.code, args.handler, args.module);
  send({ hello: args.token, pid: process.pid, ...loaded }, loaded.ok ? undefined : () => process.exit(0));
}));

let buffered = '';
socket.setEncoding('utf8'); // decodes characters split across chunks
socket.on('data', (chunk) => {
  buffered += chunk;
  for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    if (line.trim() === '') continue;
    let message;
    try { message = JSON.parse(line); } catch (err) { return leave(err); }
    if (message?.invoke !== undefined) enqueue(() => invoke(message));
    else if (message?.load !== undefined) enqueue(() => loadSpare(message.load));
    else realStderrWrite(`tributary node worker: ignored an unknown message: ${line.slice(0, 200)}\n`);
  }
});
// The server stops a worker by closing the socket.
socket.on('end', () => process.exit(0));
socket.on('close', () => process.exit(0));
socket.on('error', (err) => {
  realStderrWrite(`tributary node worker: socket ${args.socket}: ${err.message}\n`);
  process.exit(1);
});
