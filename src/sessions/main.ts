/**
 * The presenter's sessions page (/present/sessions#token=…): every time this
 * talk was presented, its exports, and starting a fresh session. Presenter
 * only, and never on the projector: the room does not see it.
 */
import './sessions.css';
import { fetchTalk } from '../lib/slides';
import { $ } from '../lib/dom';
import { forgetPresenterToken, presenterToken } from '../lib/presenter-auth';
import { SessionsTable } from './sessions-table';

async function main(): Promise<void> {
  const status = $('.sessions-status');
  const token = presenterToken();
  if (!token) {
    status.textContent = 'No presenter token. Open this page from the console, or add #token=… from the presenter URL the server printed.';
    status.classList.add('is-error');
    return;
  }
  // The way back carries the token in the fragment, like every link between presenter pages.
  $('.sessions-back').setAttribute('href', `/present/console#token=${encodeURIComponent(token)}`);
  const talk = await fetchTalk();
  if (talk) {
    document.title = `${talk.title} · sessions`;
    $('.sessions-title').textContent = `Sessions of “${talk.title}”`;
  }
  const table = new SessionsTable($('.sessions-list'), token, {
    say: (message, error = false) => {
      status.textContent = message;
      status.classList.toggle('is-error', error);
    },
    refused: () => forgetPresenterToken(),
  });
  await table.refresh();
}

main().catch((error: unknown) => {
  const status = $('.sessions-status');
  status.textContent = 'Could not reach the server. Is it running? Reload this page to try again.';
  status.classList.add('is-error');
  console.error(error);
});
