/**
 * The Lua scripts of the Redis storage (redis.ts): every operation that
 * touches more than one key is one script, which Redis runs without
 * interleaving anything else. Each script gets the key prefix as ARGV[1]
 * and computes its key names from it (one Redis server, not Redis Cluster).
 */
import { MARK_ON_BAN } from './redis-hold-scripts.js';
import { Script } from './redis-script.js';

export { Script };

const NEW_SESSION = `
local function newSession(P, talk, now, control)
  local id = redis.call('INCR', P .. 'next:session')
  local key = P .. 'session:' .. id
  redis.call('HSET', key, 'id', id, 'talkId', talk, 'startedAt', now, 'endedAt', '', 'control', control, 'peak', 0)
  redis.call('SET', P .. 'talk-open:' .. talk, id)
  redis.call('ZADD', P .. 'talk-sessions:' .. talk, id, id)
  return redis.call('HGETALL', key)
end
local function openSessionId(P, talk)
  local open = redis.call('GET', P .. 'talk-open:' .. talk)
  if open and redis.call('HGET', P .. 'session:' .. open, 'endedAt') == '' then return open end
  return nil
end
`;

export const SCRIPTS = {
  openSession: new Script(`${NEW_SESSION}
local P, talk, now, control = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local open = openSessionId(P, talk)
if open then return redis.call('HGETALL', P .. 'session:' .. open) end
return newSession(P, talk, now, control)`),

  startSession: new Script(`${NEW_SESSION}
local P, talk, now, control = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local open = openSessionId(P, talk)
if open then redis.call('HSET', P .. 'session:' .. open, 'endedAt', now) end
return newSession(P, talk, now, control)`),

  endSession: new Script(`
local P, id, now = ARGV[1], ARGV[2], ARGV[3]
local key = P .. 'session:' .. id
local talk = redis.call('HGET', key, 'talkId')
if not talk then return 0 end
if redis.call('HGET', key, 'endedAt') == '' then redis.call('HSET', key, 'endedAt', now) end
if redis.call('GET', P .. 'talk-open:' .. talk) == id then redis.call('DEL', P .. 'talk-open:' .. talk) end
return 1`),

  /** ARGV[2]: one talk's sessions, or '' for every talk's (every id the counter handed out, newest first). */
  listSessions: new Script(`
local P, talk = ARGV[1], ARGV[2]
local ids
if talk == '' then
  ids = {}
  for id = tonumber(redis.call('GET', P .. 'next:session') or '0'), 1, -1 do ids[#ids + 1] = tostring(id) end
else
  ids = redis.call('ZREVRANGE', P .. 'talk-sessions:' .. talk, 0, -1)
end
local out = {}
for _, id in ipairs(ids) do
  local s = redis.call('HMGET', P .. 'session:' .. id, 'startedAt', 'endedAt', 'peak', 'talkId')
  if s[4] then
    out[#out + 1] = { id, s[1], s[2], s[3],
      redis.call('ZCARD', P .. 'session-questions:' .. id),
      redis.call('ZCARD', P .. 'session-chat-live:' .. id), s[4] }
  end
end
return out`),

  saveControl: new Script(`
local key = ARGV[1] .. 'session:' .. ARGV[2]
if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'control', ARGV[3]) end
return 1`),

  /** Compare-and-set: {1} written, {0} no session, {2, current} someone else wrote first. ARGV[5…]: timeline entries (JSON) to append. */
  casControl: new Script(`
local key = ARGV[1] .. 'session:' .. ARGV[2]
local current = redis.call('HGET', key, 'control')
if not current then return {0} end
if current ~= ARGV[3] then return {2, current} end
redis.call('HSET', key, 'control', ARGV[4])
for i = 5, #ARGV do redis.call('RPUSH', ARGV[1] .. 'session-timeline:' .. ARGV[2], ARGV[i]) end
return {1}`),

  /** The peak, and one "ts:n" audience sample. */
  recordAudience: new Script(`
local P, session, n, ts = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local key = P .. 'session:' .. session
local peak = tonumber(redis.call('HGET', key, 'peak'))
if not peak then return 0 end
if tonumber(n) > peak then redis.call('HSET', key, 'peak', n) end
redis.call('RPUSH', P .. 'session-audience:' .. session, ts .. ':' .. n)
return 1`),

  /** ARGV[3], ARGV[4]: the slide; then emoji, count pairs. Fields are "h:v:emoji". */
  addReactions: new Script(`
local P, session, h, v = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
for i = 5, #ARGV - 1, 2 do
  redis.call('HINCRBY', P .. 'session-reactions:' .. session, h .. ':' .. v .. ':' .. ARGV[i], ARGV[i + 1])
end
return 1`),

  /** {timeline JSON entries, "ts:n" samples, flat reaction fields and counts}. */
  sessionActivity: new Script(`
local P, session = ARGV[1], ARGV[2]
return {
  redis.call('LRANGE', P .. 'session-timeline:' .. session, 0, -1),
  redis.call('LRANGE', P .. 'session-audience:' .. session, 0, -1),
  redis.call('HGETALL', P .. 'session-reactions:' .. session),
}`),

  addChat: new Script(`
local P, session = ARGV[1], ARGV[2]
local id = redis.call('INCR', P .. 'next:chat')
redis.call('HSET', P .. 'session-chat:' .. session, id, ARGV[3])
redis.call('ZADD', P .. 'session-chat-live:' .. session, id, id)
return id`),

  /** mode: recent (newest ARGV[4], newest first) | since (after ARGV[4], at most ARGV[5]) | all. Returns {id, json} pairs. */
  readChat: new Script(`
local P, session, mode = ARGV[1], ARGV[2], ARGV[3]
local live = P .. 'session-chat-live:' .. session
local ids
if mode == 'recent' then ids = redis.call('ZREVRANGE', live, 0, tonumber(ARGV[4]) - 1)
elseif mode == 'since' then ids = redis.call('ZRANGEBYSCORE', live, '(' .. ARGV[4], '+inf', 'LIMIT', 0, ARGV[5])
else ids = redis.call('ZRANGE', live, 0, -1) end
local out = {}
-- HMGET in slices: unpack() of a whole long chat would overflow Lua's stack.
for first = 1, #ids, 500 do
  local last = math.min(first + 499, #ids)
  local texts = redis.call('HMGET', P .. 'session-chat:' .. session, unpack(ids, first, last))
  for i = first, last do out[i] = { ids[i], texts[i - first + 1] } end
end
return out`),

  deleteChat: new Script(`
return redis.call('ZREM', ARGV[1] .. 'session-chat-live:' .. ARGV[2], ARGV[3])`),

  addQuestion: new Script(`
local P, session, voter = ARGV[1], ARGV[2], ARGV[9]
local id = redis.call('INCR', P .. 'next:question')
local key = P .. 'question:' .. id
redis.call('HSET', key, 'id', id, 'sessionId', session, 'authorId', ARGV[3], 'name', ARGV[4], 'text', ARGV[5],
  'h', ARGV[6], 'v', ARGV[7], 'ts', ARGV[8], 'votes', 1, 'answered', 0, 'hidden', 0, 'pending', ARGV[10])
redis.call('ZADD', P .. 'session-questions:' .. session, id, id)
redis.call('SADD', P .. 'question-voters:' .. id, voter)
redis.call('SADD', P .. 'voter-questions:' .. session .. ':' .. voter, id)
redis.call('SADD', P .. 'session-voters:' .. session, voter)
return redis.call('HGETALL', key)`),

  /** Returns false (no such question in the session, or hidden or waiting for approval and ARGV[6] is not '1': nothing changes) or {changed, question fields}. */
  setVote: new Script(`
local P, session, id, voter, up = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1'
local key = P .. 'question:' .. id
if redis.call('HGET', key, 'sessionId') ~= session then return false end
if ARGV[6] ~= '1' and (redis.call('HGET', key, 'hidden') == '1' or redis.call('HGET', key, 'pending') == '1') then return false end
local changed
if up then changed = redis.call('SADD', P .. 'question-voters:' .. id, voter)
else changed = redis.call('SREM', P .. 'question-voters:' .. id, voter) end
if changed == 1 then
  local mine = P .. 'voter-questions:' .. session .. ':' .. voter
  if up then
    redis.call('HINCRBY', key, 'votes', 1)
    redis.call('SADD', mine, id)
    redis.call('SADD', P .. 'session-voters:' .. session, voter)
  else
    redis.call('HINCRBY', key, 'votes', -1)
    redis.call('SREM', mine, id)
  end
end
return { changed, redis.call('HGETALL', key) }`),

  /** ARGV[4] answered, ARGV[5] hidden, ARGV[6] pending: '' leaves it, '0' or '1' sets it. */
  moderateQuestion: new Script(`
local P, session, id = ARGV[1], ARGV[2], ARGV[3]
local key = P .. 'question:' .. id
if redis.call('HGET', key, 'sessionId') ~= session then return false end
if ARGV[4] ~= '' then redis.call('HSET', key, 'answered', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', key, 'hidden', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', key, 'pending', ARGV[6]) end
return redis.call('HGETALL', key)`),

  listQuestions: new Script(`
local P, session = ARGV[1], ARGV[2]
local out = {}
for i, id in ipairs(redis.call('ZRANGE', P .. 'session-questions:' .. session, 0, -1)) do
  out[i] = redis.call('HGETALL', P .. 'question:' .. id)
end
return out`),

  secret: new Script(`
local key = ARGV[1] .. 'secrets'
redis.call('HSETNX', key, ARGV[2], ARGV[3])
return redis.call('HGET', key, ARGV[2])`),

  setPollVote: new Script(`
local P, session, poll, voter, choice = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('SISMEMBER', P .. 'session-polls-closed:' .. session, poll) == 1 then return 'closed' end
local votes = P .. 'poll-votes:' .. session .. ':' .. poll
local old = redis.call('HGET', votes, voter)
if old == choice then return 'unchanged' end
redis.call('HSET', votes, voter, choice)
local counts = P .. 'poll-counts:' .. session .. ':' .. poll
-- A count that drops to zero disappears, as a GROUP BY row would.
if old and redis.call('HINCRBY', counts, old, -1) <= 0 then redis.call('HDEL', counts, old) end
redis.call('HINCRBY', counts, choice, 1)
redis.call('HSET', P .. 'voter-polls:' .. session .. ':' .. voter, poll, choice)
redis.call('SADD', P .. 'session-polls:' .. session, poll)
redis.call('SADD', P .. 'session-voters:' .. session, voter)
return 'changed'`),

  clearPoll: new Script(`
local P, session, poll = ARGV[1], ARGV[2], ARGV[3]
local votes = P .. 'poll-votes:' .. session .. ':' .. poll
for _, voter in ipairs(redis.call('HKEYS', votes)) do
  redis.call('HDEL', P .. 'voter-polls:' .. session .. ':' .. voter, poll)
end
redis.call('DEL', votes, P .. 'poll-counts:' .. session .. ':' .. poll)
redis.call('SREM', P .. 'session-polls-closed:' .. session, poll)
redis.call('SREM', P .. 'session-polls:' .. session, poll)
local data, ids = P .. 'poll-entries:' .. session, P .. 'poll-entry-ids:' .. session .. ':' .. poll
for _, id in ipairs(redis.call('ZRANGE', ids, 0, -1)) do
  local entry = cjson.decode(redis.call('HGET', data, id))
  redis.call('ZREM', P .. 'voter-entries:' .. session .. ':' .. entry.voter, id)
  redis.call('DEL', P .. 'poll-voter-entries:' .. session .. ':' .. poll .. ':' .. entry.voter)
  redis.call('HDEL', data, id)
end
redis.call('DEL', ids, P .. 'poll-hidden-words:' .. session .. ':' .. poll)
redis.call('HDEL', P .. 'session-polls-shown:' .. session, poll)
return 1`),

  /**
   * ARGV: prefix, talk, session, authorId, now, the address mark's JSON ('' for none), voter keys…. Bans, marks
   * the addresses, deletes the author's chat (held or not), hides their questions, removes the voters' votes.
   * Returns {deleted chat ids, changed question ids, changed polls}.
   */
  ban: new Script(`
local P, talk, session, author, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('HSETNX', P .. 'bans:' .. talk, author, now)
${MARK_ON_BAN}
local live = P .. 'session-chat-live:' .. session
local deleted = {}
for _, id in ipairs(redis.call('ZRANGE', live, 0, -1)) do
  local stored = redis.call('HGET', P .. 'session-chat:' .. session, id)
  if stored and cjson.decode(stored).authorId == author then
    redis.call('ZREM', live, id)
    deleted[#deleted + 1] = id
  end
end
local changed, seen = {}, {}
local function touch(id)
  if not seen[id] then seen[id] = true; changed[#changed + 1] = id end
end
for _, id in ipairs(redis.call('ZRANGE', P .. 'session-questions:' .. session, 0, -1)) do
  local key = P .. 'question:' .. id
  local q = redis.call('HMGET', key, 'authorId', 'hidden')
  if q[1] == author and q[2] ~= '1' then
    redis.call('HSET', key, 'hidden', 1)
    touch(id)
  end
end
local polls, pollSeen = {}, {}
for i = 7, #ARGV do
  local voter = ARGV[i]
  local mine = P .. 'voter-questions:' .. session .. ':' .. voter
  for _, id in ipairs(redis.call('SMEMBERS', mine)) do
    if redis.call('SREM', P .. 'question-voters:' .. id, voter) == 1 then
      redis.call('HINCRBY', P .. 'question:' .. id, 'votes', -1)
      touch(id)
    end
  end
  redis.call('DEL', mine)
  local theirPolls = P .. 'voter-polls:' .. session .. ':' .. voter
  local flat = redis.call('HGETALL', theirPolls)
  for j = 1, #flat, 2 do
    local poll, choice = flat[j], flat[j + 1]
    redis.call('HDEL', P .. 'poll-votes:' .. session .. ':' .. poll, voter)
    local counts = P .. 'poll-counts:' .. session .. ':' .. poll
    if redis.call('HINCRBY', counts, choice, -1) <= 0 then redis.call('HDEL', counts, choice) end
    if not pollSeen[poll] then pollSeen[poll] = true; polls[#polls + 1] = poll end
  end
  redis.call('DEL', theirPolls)
end
local entries, data = {}, P .. 'poll-entries:' .. session
local flatEntries = redis.call('HGETALL', data)
for j = 1, #flatEntries, 2 do
  local entry = cjson.decode(flatEntries[j + 1])
  if entry.authorId == author and not entry.hidden then
    entry.hidden = true
    local json = cjson.encode(entry)
    redis.call('HSET', data, flatEntries[j], json)
    entries[#entries + 1] = json
    if not pollSeen[entry.poll] then pollSeen[entry.poll] = true; polls[#polls + 1] = entry.poll end
  end
end
local questions = {}
for i, id in ipairs(changed) do questions[i] = redis.call('HGETALL', P .. 'question:' .. id) end
return { deleted, questions, polls, entries }`),

  setPollClosed: new Script(`
local P, session, poll = ARGV[1], ARGV[2], ARGV[3]
if ARGV[4] == '1' then
  redis.call('SADD', P .. 'session-polls-closed:' .. session, poll)
  redis.call('SADD', P .. 'session-polls:' .. session, poll)
else
  redis.call('SREM', P .. 'session-polls-closed:' .. session, poll)
end
return 1`),

  /**
   * {poll, closed (0|1), {choice, count, ...}, shown, {hidden word, ...}} per poll that has votes, was
   * closed, shows answers or has words removed.
   */
  pollCounts: new Script(`
local P, session = ARGV[1], ARGV[2]
local out = {}
for _, poll in ipairs(redis.call('SMEMBERS', P .. 'session-polls:' .. session)) do
  local closed = redis.call('SISMEMBER', P .. 'session-polls-closed:' .. session, poll)
  local counts = redis.call('HGETALL', P .. 'poll-counts:' .. session .. ':' .. poll)
  local shown = redis.call('HGET', P .. 'session-polls-shown:' .. session, poll) or ''
  local hidden = redis.call('SMEMBERS', P .. 'poll-hidden-words:' .. session .. ':' .. poll)
  if closed == 1 or #counts > 0 or shown ~= '' or #hidden > 0 then out[#out + 1] = { poll, closed, counts, shown, hidden } end
end
return out`),

  /**
   * ARGV: prefix, session, poll, voter, authorId, name, text, key, ts, perVoter, total, unique (1|0).
   * {1, entry JSON} or {0, refusal}; every check in the script, so nothing slips in between.
   */
  addPollEntry: new Script(`
local P, session, poll, voter, key = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[8]
local perVoter, total, unique = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12] == '1'
if redis.call('SISMEMBER', P .. 'session-polls-closed:' .. session, poll) == 1 then return { 0, 'closed' } end
if unique and redis.call('SISMEMBER', P .. 'poll-hidden-words:' .. session .. ':' .. poll, key) == 1 then return { 0, 'hidden' } end
local mine = P .. 'poll-voter-entries:' .. session .. ':' .. poll .. ':' .. voter
local keys = redis.call('HVALS', mine)
if unique then
  for _, held in ipairs(keys) do if held == key then return { 0, 'duplicate' } end end
end
if #keys >= perVoter then return { 0, 'limit' } end
local ids = P .. 'poll-entry-ids:' .. session .. ':' .. poll
if redis.call('ZCARD', ids) >= total then return { 0, 'full' } end
local id = redis.call('INCR', P .. 'next:entry')
local entry = cjson.encode({ id = id, poll = poll, voter = voter, authorId = ARGV[5], name = ARGV[6], text = ARGV[7], key = key, hidden = false, ts = ARGV[9] })
redis.call('HSET', P .. 'poll-entries:' .. session, id, entry)
redis.call('ZADD', ids, id, id)
redis.call('HSET', mine, id, key)
redis.call('ZADD', P .. 'voter-entries:' .. session .. ':' .. voter, id, id)
return { 1, entry }`),

  /** ARGV: prefix, session, poll, id, hidden (1|0). The entry JSON, or false when the poll has no such entry. */
  hidePollEntry: new Script(`
local data = ARGV[1] .. 'poll-entries:' .. ARGV[2]
local json = redis.call('HGET', data, ARGV[4])
if not json then return false end
local entry = cjson.decode(json)
if entry.poll ~= ARGV[3] then return false end
entry.hidden = ARGV[5] == '1'
json = cjson.encode(entry)
redis.call('HSET', data, ARGV[4], json)
return json`),

  /** ARGV: prefix, session, poll, key, hidden (1|0). */
  hidePollWord: new Script(`
local P, session, poll = ARGV[1], ARGV[2], ARGV[3]
if ARGV[5] == '1' then
  redis.call('SADD', P .. 'poll-hidden-words:' .. session .. ':' .. poll, ARGV[4])
  redis.call('SADD', P .. 'session-polls:' .. session, poll)
else
  redis.call('SREM', P .. 'poll-hidden-words:' .. session .. ':' .. poll, ARGV[4])
end
return 1`),

  /** ARGV: prefix, session, poll, shown ('' for nothing). */
  setPollShown: new Script(`
local P, session, poll = ARGV[1], ARGV[2], ARGV[3]
if ARGV[4] == '' then
  redis.call('HDEL', P .. 'session-polls-shown:' .. session, poll)
else
  redis.call('HSET', P .. 'session-polls-shown:' .. session, poll, ARGV[4])
  redis.call('SADD', P .. 'session-polls:' .. session, poll)
end
return 1`),

  /**
   * ARGV: prefix, session, voter. What the voter did: the question ids they
   * voted for, their poll choices (flat poll/choice pairs), their entries' JSON (oldest first).
   */
  voterRecord: new Script(`
local P, session, voter = ARGV[1], ARGV[2], ARGV[3]
local questions = redis.call('SMEMBERS', P .. 'voter-questions:' .. session .. ':' .. voter)
local polls = redis.call('HGETALL', P .. 'voter-polls:' .. session .. ':' .. voter)
local ids = redis.call('ZRANGE', P .. 'voter-entries:' .. session .. ':' .. voter, 0, -1)
local entries = {}
if #ids > 0 then entries = redis.call('HMGET', P .. 'poll-entries:' .. session, unpack(ids)) end
return {questions, polls, entries}`),
} as const;
