-- GET of one fixed path (given as the URL): services, lists, the nginx files.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
done = report.done
