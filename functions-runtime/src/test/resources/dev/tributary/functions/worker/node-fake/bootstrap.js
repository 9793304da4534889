// A small stand-in for the real node bootstrap (written elsewhere), speaking the worker protocol
// well enough for NodeRuntime's tests: hello, spare + load, invoke/done, error names, captured logs.
'use strict';
const net = require('net');
const path = require('path');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].slice(2)] = process.argv[i + 1];

let logs = '';
const capture = (chunk) => { logs += String(chunk); return true; };
process.stdout.write = capture;
process.stderr.write = capture;
console.log = (...parts) => capture(parts.join(' ') + '\n');
console.error = console.log;

let handler = null;
function load(code, spec, module) {
  const dot = spec.lastIndexOf('.');
  const file = dot < 0 ? module : spec.slice(0, dot);
  const name = dot < 0 ? spec : spec.slice(dot + 1);
  const exported = require(path.join(code, file));
  handler = typeof exported === 'function' && name === 'main' && !exported.main ? exported : exported[name];
  if (typeof handler !== 'function') throw new Error(`no function '${name}' in '${file}'`);
}
function errorOf(err) {
  if (!(err instanceof Error)) return { type: 'Error', message: String(err) };
  const type = err.name === 'Error' && err.constructor && err.constructor.name !== 'Error' ? err.constructor.name : err.name;
  return { type, message: err.message };
}

const socket = net.createConnection(args.socket);
const send = (message) => socket.write(JSON.stringify(message) + '\n');
socket.on('connect', () => {
  if (!args.code) return send({ hello: args.token, pid: process.pid, ok: true, spare: true });
  try {
    load(args.code, args.handler, args.module);
    send({ hello: args.token, pid: process.pid, ok: true });
  } catch (err) {
    send({ hello: args.token, pid: process.pid, ok: false, error: errorOf(err), logs });
    socket.end(() => process.exit(1));
  }
});
let buffered = '';
socket.on('data', (data) => {
  buffered += data;
  let end;
  while ((end = buffered.indexOf('\n')) >= 0) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    handle(message);
  }
});
socket.on('end', () => process.exit(0));
socket.on('error', () => process.exit(0));

async function handle(message) {
  if (message.load) {
    const spec = message.load;
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, spec.env);
    process.chdir(spec.scratch);
    try {
      load(spec.code, spec.handler, spec.module);
      send({ loaded: true });
    } catch (err) {
      send({ loaded: false, error: errorOf(err), logs });
      socket.end(() => process.exit(1));
    }
    return;
  }
  if (!message.invoke) return;
  logs = '';
  const c = message.context;
  const context = {
    functionName: c.function_name, activationId: c.activation_id, idempotencyKey: c.idempotency_key,
    attempt: c.attempt, getRemainingTimeInMillis: () => Math.max(0, c.deadline_ms - Date.now()),
  };
  try {
    const value = await (handler.length >= 2 ? handler(message.input, context) : handler(message.input));
    send({ done: message.invoke, ok: true, result: value === undefined ? null : value, logs });
  } catch (err) {
    send({ done: message.invoke, ok: false, error: errorOf(err), logs });
  }
}
