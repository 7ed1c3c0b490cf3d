-- The ceiling: the same host's trivial authorized JSON endpoint, same connections and duration.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PP_KEY")
request = function() return wrk.format(nil, "/v1/ping") end
