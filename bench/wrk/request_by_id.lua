-- GET requests/{random id}.{json|xml}; ids come from BENCH_IDS (one per line),
-- the format from BENCH_FORMAT.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
done = report.done

local ids = {}
local base = os.getenv("BENCH_BASE")
local format = os.getenv("BENCH_FORMAT") or "json"

function init(args)
    for line in io.lines(os.getenv("BENCH_IDS")) do
        ids[#ids + 1] = line
    end
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
    local id = ids[math.random(#ids)]
    return wrk.format("GET", base .. "/requests/" .. id .. "." .. format)
end
