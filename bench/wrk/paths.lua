-- GET of the paths in BENCH_PATHS (one a line, written by bench.py), each asked once: wrk's
-- thread k of n takes lines k, k + n, k + 2n, ... so no two requests of a run share a query
-- and the list cache (which keeps a list from its second request) never answers.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
done = report.done

local threads = 0

function setup(thread)
    thread:set("thread_index", threads)
    threads = threads + 1
end

local paths = {}
local next_index = 1
local stride = 1

function init(args)
    stride = tonumber(os.getenv("BENCH_THREADS") or "1")
    local index = 0
    for line in io.lines(os.getenv("BENCH_PATHS")) do
        if index % stride == thread_index then
            paths[#paths + 1] = line
        end
        index = index + 1
    end
end

function request()
    local path = paths[next_index]
    -- Past the end (a run faster than the file is long) it starts again: such repeats are
    -- counted by bench.py as a warning, not silently.
    next_index = next_index % #paths + 1
    return wrk.format("GET", path)
end
