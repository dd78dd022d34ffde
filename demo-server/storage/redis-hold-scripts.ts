/**
 * The Lua scripts of held people in the Redis storage (issue 18, item 5),
 * beside redis-scripts.ts: a session's marked addresses (keyed hashes), who
 * is known or held there, and held people's messages waiting. ARGV[1] is
 * the key prefix, as in every script.
 *
 * Keys per session: session-marks (hash address key → marked at),
 * session-people (hash authorId → known|held), session-held (zset of held
 * authorIds by when), session-held-chat (hash id → message JSON),
 * session-held-chat-ids (zset), held-chat-of:<session>:<authorId> (list of ids).
 */
import { Script } from './redis-script.js';

const HOLD = `
local function hold(P, session, author, now)
  local people = P .. 'session-people:' .. session
  if redis.call('HSETNX', people, author, 'held') == 1 then
    redis.call('ZADD', P .. 'session-held:' .. session, now, author)
    return true
  end
  return redis.call('HGET', people, author) == 'held'
end
`;

/** The ban script's part (redis-scripts.ts): ARGV[6] is the mark's JSON ('' for none). */
export const MARK_ON_BAN = `
if ARGV[6] ~= '' then
  local mark = cjson.decode(ARGV[6])
  for _, key in ipairs(mark.addressKeys) do redis.call('HSETNX', P .. 'session-marks:' .. session, key, now) end
  for _, who in ipairs(mark.known) do redis.call('HSETNX', P .. 'session-people:' .. session, who, 'known') end
end
if redis.call('HGET', P .. 'session-people:' .. session, author) == 'held' then
  redis.call('HDEL', P .. 'session-people:' .. session, author)
  redis.call('ZREM', P .. 'session-held:' .. session, author)
end
local heldOf = P .. 'held-chat-of:' .. session .. ':' .. author
for _, id in ipairs(redis.call('LRANGE', heldOf, 0, -1)) do
  redis.call('HDEL', P .. 'session-held-chat:' .. session, id)
  redis.call('ZREM', P .. 'session-held-chat-ids:' .. session, id)
end
redis.call('DEL', heldOf)
`;

export const HOLD_SCRIPTS = {
  /** ARGV: prefix, session, address key, authorId. 1 when held. */
  holdState: new Script(`
local P, session, address, author = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local state = redis.call('HGET', P .. 'session-people:' .. session, author)
if state then
  if state == 'held' then return 1 end
  return 0
end
return redis.call('HEXISTS', P .. 'session-marks:' .. session, address)`),

  /** ARGV: prefix, session, authorId, now. 1 when held now. */
  holdPerson: new Script(`${HOLD}
if hold(ARGV[1], ARGV[2], ARGV[3], ARGV[4]) then return 1 end
return 0`),

  /** ARGV: prefix, session, authorId, ts, message JSON. The held message's id, or false when the person is known. */
  addHeldChat: new Script(`${HOLD}
local P, session, author = ARGV[1], ARGV[2], ARGV[3]
if not hold(P, session, author, ARGV[4]) then return false end
local id = redis.call('INCR', P .. 'next:held-chat')
redis.call('HSET', P .. 'session-held-chat:' .. session, id, ARGV[5])
redis.call('ZADD', P .. 'session-held-chat-ids:' .. session, id, id)
redis.call('RPUSH', P .. 'held-chat-of:' .. session .. ':' .. author, id)
return id`),

  /** ARGV: prefix, session. {held authorIds, {id, message JSON} pairs oldest first}. */
  heldPeople: new Script(`
local P, session = ARGV[1], ARGV[2]
local ids = redis.call('ZRANGE', P .. 'session-held-chat-ids:' .. session, 0, -1)
local chat = {}
for first = 1, #ids, 500 do
  local last = math.min(first + 499, #ids)
  local texts = redis.call('HMGET', P .. 'session-held-chat:' .. session, unpack(ids, first, last))
  for i = first, last do chat[i] = { ids[i], texts[i - first + 1] } end
end
return { redis.call('ZRANGE', P .. 'session-held:' .. session, 0, -1), chat }`),

  /**
   * ARGV: prefix, session, authorId. False when not held; else the person is known from now on, their messages
   * join the chat in order with new ids and their waiting questions are published: {{id, JSON} pairs, question fields…}.
   */
  approveHeld: new Script(`
local P, session, author = ARGV[1], ARGV[2], ARGV[3]
local people = P .. 'session-people:' .. session
if redis.call('HGET', people, author) ~= 'held' then return false end
redis.call('HSET', people, author, 'known')
redis.call('ZREM', P .. 'session-held:' .. session, author)
local mine = P .. 'held-chat-of:' .. session .. ':' .. author
local chat = {}
for _, id in ipairs(redis.call('LRANGE', mine, 0, -1)) do
  local json = redis.call('HGET', P .. 'session-held-chat:' .. session, id)
  redis.call('HDEL', P .. 'session-held-chat:' .. session, id)
  redis.call('ZREM', P .. 'session-held-chat-ids:' .. session, id)
  if json then
    local chatId = redis.call('INCR', P .. 'next:chat')
    redis.call('HSET', P .. 'session-chat:' .. session, chatId, json)
    redis.call('ZADD', P .. 'session-chat-live:' .. session, chatId, chatId)
    chat[#chat + 1] = { chatId, json }
  end
end
redis.call('DEL', mine)
local questions = {}
for _, id in ipairs(redis.call('ZRANGE', P .. 'session-questions:' .. session, 0, -1)) do
  local key = P .. 'question:' .. id
  local q = redis.call('HMGET', key, 'authorId', 'pending', 'hidden')
  if q[1] == author and q[2] == '1' and q[3] ~= '1' then
    redis.call('HSET', key, 'pending', 0)
    questions[#questions + 1] = redis.call('HGETALL', key)
  end
end
return { chat, questions }`),
} as const;
