-- POST requests.json (form-urlencoded, valid) with a fresh description each time.
-- BENCH_MIX_GET_PERCENT > 0 turns it into the mixed scenario: that share of the requests
-- are GETs of random ids (BENCH_IDS), the rest POSTs.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
done = report.done

local base = os.getenv("BENCH_BASE")
local key = os.getenv("BENCH_KEY")
local get_percent = tonumber(os.getenv("BENCH_MIX_GET_PERCENT") or "0")
local ids = {}
local codes = {"171", "176", "178", "246", "2805", "2807", "2808"}
local words = {"roska-astia", "katuvalo", "kuoppa", "keinu", "pyörätie", "pysäkki",
               "liikennevalo", "sohva", "penkki", "lumivalli", "portti", "puu"}
local counter = 0
local thread_tag = ""
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}

local function urlencode(s)
    return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
    thread_tag = tostring(math.random(1000000))
    if get_percent > 0 then
        for line in io.lines(os.getenv("BENCH_IDS")) do
            ids[#ids + 1] = line
        end
    end
end

function request()
    if get_percent > 0 and math.random(100) <= get_percent then
        return wrk.format("GET", base .. "/requests/" .. ids[math.random(#ids)] .. ".json")
    end
    counter = counter + 1
    local description = string.format(
        "Palaute %s-%d: %s on rikki ja %s pitäisi korjata pian, koska tilanne on vaarallinen.",
        thread_tag, counter, words[math.random(#words)], words[math.random(#words)])
    local body = "api_key=" .. urlencode(key) ..
        "&service_code=" .. codes[math.random(#codes)] ..
        "&description=" .. urlencode(description) ..
        string.format("&lat=%.5f&long=%.5f", 60.13 + math.random() * 0.17,
                      24.78 + math.random() * 0.42)
    return wrk.format("POST", base .. "/requests.json", headers, body)
end
