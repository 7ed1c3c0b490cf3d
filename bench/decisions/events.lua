-- POST /v1/events with batches of 100 view events (no event ids: the server gives each a fresh one).
wrk.method = "POST"
wrk.path = "/v1/events"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PP_KEY")
local parts = {}
for i = 1, 100 do
  parts[i] = string.format('{"user_id":"%d","type":"view","item_id":"i%d"}', (i * 37) % 5000 + 1, i)
end
wrk.body = '{"events":[' .. table.concat(parts, ",") .. ']}'
