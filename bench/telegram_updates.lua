-- wrk script: POST a real Telegram text Update with a unique update_id on every request.
local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  base = tonumber(args[1] or "1") * 100000000 + tid * 10000000
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = "bench-secret"
end

function request()
  counter = counter + 1
  local id = base + counter
  local chat = 100000 + id % 500
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"date":1763000000,' ..
    '"chat":{"id":%d,"type":"private","first_name":"Siti"},' ..
    '"from":{"id":%d,"is_bot":false,"first_name":"Siti"},"text":"1"}}',
    id, id, chat, chat)
  return wrk.format(nil, "/webhooks/telegram", nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %f %f %f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
