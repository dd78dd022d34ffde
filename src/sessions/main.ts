/**
 * The presenter's home (/present/sessions#token=…): the talks of the series,
 * making one live, and the sessions of a talk with their reports and
 * exports. Presenter only, and never on the projector: the room does not
 * see it.
 */
import './sessions.css';
import { fetchTalk } from '../lib/slides';
import { $ } from '../lib/dom';
import { startLanguage, t, translatePage } from '../i18n/i18n';
import { mountLanguageSwitch } from '../audience/language-switch';
import { forgetPresenterToken, presenterToken } from '../lib/presenter-auth';
import { SessionsTable } from './sessions-table';
import { TalksTable } from './talks-table';

async function main(): Promise<void> {
  await startLanguage();
  translatePage();
  mountLanguageSwitch($('.sessions-bar'));
  const status = $('.sessions-status');
  const token = presenterToken();
  if (!token) {
    status.textContent = t('sessions.no-token');
    status.classList.add('is-error');
    return;
  }
  const say = (message: string, error = false) => {
    status.textContent = message;
    status.classList.toggle('is-error', error);
  };
  const fragment = `#token=${encodeURIComponent(token)}`;
  // The ways on carry the token in the fragment, like every link between presenter pages.
  const back = $('.sessions-back');
  back.setAttribute('href', `/present/console${fragment}`);
  $('.projector-link').setAttribute('href', `/present${fragment}`);
  const talk = await fetchTalk();
  back.hidden = !talk;
  document.title = talk ? t('sessions.page-title-talk', { talk: talk.title }) : t('sessions.page-title');
  const sessions = new SessionsTable($('.sessions-list'), token, { say, refused: () => forgetPresenterToken() });
  const talks = new TalksTable($('.talks-list'), token, {
    say,
    refused: () => forgetPresenterToken(),
    select: (chosen, live) => {
      // Making a talk live changes what the console and the projector show: they follow by themselves.
      if (live?.talkId === chosen.id) {
        document.title = t('sessions.page-title-talk', { talk: chosen.title });
        back.hidden = false;
      }
      void sessions.show(chosen).then(() => $('.sessions-list').scrollIntoView({ block: 'start' }));
    },
  });
  const list = await talks.refresh();
  if (!list) return;
  if (list.live) await sessions.refresh();
  else say(t('sessions.no-live'));
}

main().catch((error: unknown) => {
  const status = $('.sessions-status');
  status.textContent = t('sessions.unreachable');
  status.classList.add('is-error');
  console.error(error);
});
