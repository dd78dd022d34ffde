/**
 * The phone's language switcher: one button in the top bar naming the other
 * language in its own words ("日本語", "English"). The choice is kept on the
 * device and the page loads again in it, so every string, number and date
 * is redrawn from the new table at once.
 */
import { LANGUAGE_NAMES, LANGUAGES, language, storeLanguage, t } from '../i18n/i18n';
import { el } from '../lib/dom';

export function mountLanguageSwitch(topbar: HTMLElement, reload: () => void = () => location.reload()): HTMLButtonElement {
  const other = LANGUAGES.find((candidate) => candidate !== language()) ?? 'en';
  const button = el('button', {
    className: 'language-switch',
    text: LANGUAGE_NAMES[other],
    attrs: { type: 'button', lang: other, 'aria-label': `${t('language.switch')}: ${LANGUAGE_NAMES[other]}` },
  });
  button.addEventListener('click', () => {
    storeLanguage(other);
    reload();
  });
  topbar.append(button);
  return button;
}
