-- GET requests.json with a 500 m radius around a random point of the Helsinki area.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
done = report.done

local base = os.getenv("BENCH_BASE")

function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
    local lat = 60.13 + math.random() * (60.30 - 60.13)
    local lon = 24.78 + math.random() * (25.20 - 24.78)
    return wrk.format("GET", string.format("%s/requests.json?lat=%.5f&long=%.5f&radius=500",
                                           base, lat, lon))
end
