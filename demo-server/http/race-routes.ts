/**
 * The race demo's HTTP side: the reload pane's whole list, the polling
 * pane's `GET /api/poll?since=ID` (204 with no body when nothing is new),
 * and a clock for measuring delays. Every answer of the first two reports its
 * own wire bytes (X-Wire-Bytes), so the panes count what crossed the wire.
 */
import express from 'express';
import { RacePollQuerySchema, type HttpError, type RaceClock, type RaceMessageList, type RacePollAnswer } from '../../src/shared/protocol.js';
import type { RaceTrack } from '../realtime/race-track.js';
import { endWithWireBytes } from '../net/wire-bytes.js';

export function createRaceRouter(race: RaceTrack): express.Router {
  const router = express.Router();

  router.get('/api/race/messages', (request, response) => {
    const body: RaceMessageList = { messages: race.all() };
    endWithWireBytes(request, response, 200, body);
  });

  router.get('/api/poll', (request, response) => {
    const query = RacePollQuerySchema.safeParse(request.query);
    if (!query.success) {
      const body: HttpError = { error: { code: 'invalid', message: query.error.issues[0]?.message ?? 'bad query' } };
      return endWithWireBytes(request, response, 400, body);
    }
    const messages = race.since(query.data.since);
    if (messages.length === 0) return endWithWireBytes(request, response, 204);
    const body: RacePollAnswer = { messages };
    endWithWireBytes(request, response, 200, body);
  });

  // Measurement, not traffic: the widget reads it a few times when it starts and counts it in no pane.
  router.get('/api/race/clock', (_request, response) => {
    const body: RaceClock = { now: race.now(), last: race.last };
    response.setHeader('Cache-Control', 'no-store');
    response.json(body);
  });

  return router;
}
