-- SPDX-License-Identifier: MIT
-- What bench/signup.lua and bench/lookup.lua share (dofile'd by them; wrk runs from the
-- checkout's root): each thread's index (thread_index, for a start of its own), the
-- answers counted by status in each thread, and their sum printed at the end as
-- "statuses: 200=N 503=M", which bench/*.sh read.
statuses = {} -- global: done() reads it from each thread with thread:get

local threads = {}
function setup(thread)
    thread:set("thread_index", #threads)
    table.insert(threads, thread)
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        for code, count in pairs(thread:get("statuses")) do
            total[code] = (total[code] or 0) + count
        end
    end
    local parts = {}
    for code, count in pairs(total) do
        table.insert(parts, code .. "=" .. count)
    end
    table.sort(parts)
    io.write("statuses: " .. table.concat(parts, " ") .. "\n")
end
