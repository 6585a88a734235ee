-- SPDX-License-Identifier: MIT
-- wrk script: the worker's status lookup, GET /api/registrations/{code}?phone4=NNNN, over
-- the pairs of a file (one "CODE NNNN" a line, made by bench/lookup.sh from real
-- registrations), each thread starting at its own place and going round.
--   wrk -t2 -c64 -d10s --latency -s bench/lookup.lua http://127.0.0.1:8080 -- PAIRS_FILE
local paths = {}
local at = 0

dofile("bench/wrk_statuses.lua") -- setup, response, done: the answers by status

function init(args)
    for line in io.lines(args[1]) do
        local code, phone4 = line:match("^(%w+) (%d%d%d%d)$")
        if code then
            paths[#paths + 1] = "/api/registrations/" .. code .. "?phone4=" .. phone4
        end
    end
    at = (tonumber(rawget(_G, "thread_index")) or 0) * 997
end

function request()
    at = at % #paths + 1
    return wrk.format("GET", paths[at])
end
