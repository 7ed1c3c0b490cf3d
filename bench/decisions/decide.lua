-- POST /v1/decisions for a random known shopper (Hillstrom sample ids 1..5000) with a two-line cart.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PP_KEY")
math.randomseed(42)
request = function()
  local body = string.format('{"user_id":"%d","placement":"home","channel":"web","limit":2,"cart":[{"item_id":"85123A","quantity":2,"unit_price":2.55},{"item_id":"22423","quantity":1,"unit_price":12.75}]}', math.random(1, 5000))
  return wrk.format(nil, "/v1/decisions", nil, body)
end
