-- SPDX-License-Identifier: MIT
-- wrk script: POST /api/registrations with a new valid ID number on every request.
--   wrk -t2 -c64 -d10s --latency -s bench/signup.lua http://127.0.0.1:8080 -- REGION VILLAGE
-- REGION (6 digits, default 450102) keeps runs against one Redis apart: use a different
-- one for a warm-up. IDs: REGION + birth date + 3-digit sequence + GB 11643 check digit;
-- request n of thread t gets number k = n*16 + t, birth day 1975-01-01 + k/1000, sequence
-- k%1000, so no two requests of a run share an ID. The server must run with
-- SONGGONG_TODAY inside the campaign (bench/run.sh sets 2027-01-10).
-- VILLAGE may be @FILE: a village code a line; request k then signs up in village k mod n,
-- as a region's sign-ups come from all its villages (their posters) at once.

local W = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local CHECK = "10X98765432"

local region = "450102"
local village = "450102001003"
local villages = nil -- from @FILE
local tid = 0
local n = 0

dofile("bench/wrk_statuses.lua") -- setup, response, done: the answers by status

function init(args)
    region = args[1] or region
    village = args[2] or village
    if string.sub(village, 1, 1) == "@" then
        villages = {}
        for line in io.lines(string.sub(village, 2)) do
            villages[#villages + 1] = line
        end
    end
    tid = tonumber(rawget(_G, "thread_index")) or 0
    wrk.method = "POST"
    wrk.path = "/api/registrations"
    wrk.headers["Content-Type"] = "application/json"
end

-- Birth dates are formatted once per day number and kept: os.time/os.date on every
-- request would make wrk, which shares the CPU with the server and Redis, the heavier side.
local dates = {}
local function birth_date(day)
    local d = dates[day]
    if d == nil then
        d = os.date("%Y%m%d", os.time({year = 1975, month = 1, day = 1 + day, hour = 12}))
        dates[day] = d
    end
    return d
end

local function id_number(k)
    local first17 = region .. birth_date(math.floor(k / 1000)) .. string.format("%03d", k % 1000)
    local sum = 0
    for i = 1, 17 do
        sum = sum + (string.byte(first17, i) - 48) * W[i]
    end
    local c = (sum % 11) + 1
    return first17 .. string.sub(CHECK, c, c)
end

function request()
    local k = n * 16 + tid
    n = n + 1
    local body = string.format(
        '{"village":"%s","name":"韦小宝","id_number":"%s","phone":"139%08d",' ..
        '"dest_city":"4419","employer":"东莞市某电子有限公司","job_confirmed":true,' ..
        '"depart_date":"2027-02-03","flex_days":1,"mode":"any","poverty":"none",' ..
        '"companions":[],"consent":true}',
        villages and villages[k % #villages + 1] or village, id_number(k), k % 100000000)
    return wrk.format(nil, nil, nil, body)
end
