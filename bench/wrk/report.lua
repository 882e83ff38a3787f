-- Shared by every scenario: prints the summary as one JSON line for bench.py.
local report = {}

function report.done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, ' ..
        '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}\n',
        summary.requests, summary.duration, summary.bytes,
        latency:percentile(50), latency:percentile(99),
        e.connect, e.read, e.write, e.timeout, e.status))
end

return report
