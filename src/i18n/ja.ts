/**
 * 日本語: every key of en.ts, in Japanese. Loaded only on screens whose
 * language is Japanese.
 */
import type { Messages } from './en';

export const ja: Messages = {
  'language.switch': '言語',

  'console.panel-poll': 'このスライドの投票',
  'console.panel-scale': 'このスライドの評価',
  'console.panel-words': 'このスライドのワードクラウド',
  'console.panel-text': 'このスライドの回答',
  'poll.count': '{count} · {percent}',
  'poll.votes': '{count} 票',
  'poll.closed': '投票は締め切りました',
  'poll.reset': 'リセット',
  'poll.close': '投票を締め切る',
  'poll.reopen': '投票を再開',
  'poll.vote-for': '「{option}」に投票',

  'scale.ratings': '{count} 件の評価',
  'scale.mean': '平均 {mean}',
  'scale.rate': '{value} で評価',
  'scale.yours': 'あなたの評価: {value}',
  'scale.tap': '数字をタップして評価',

  'words.count': '会場から {count} 語',
  'words.empty': '会場から届いた言葉がここに表示されます',
  'words.label': 'あなたの言葉',
  'words.placeholder': 'ひとこと',
  'words.send': '送信',
  'words.left': 'あと {count} 語まで送れます',
  'words.mine': '送信済み: {words}',
  'words.done': '送信できる言葉はすべて送りました。ありがとうございます！',
  'words.closed': 'ワードクラウドは締め切りました',
  'words.remove': '削除',
  'words.restore': '元に戻す',
  'words.removed': 'クラウドから削除した言葉',
  'words.none': 'まだ言葉はありません',
  'words.in-cloud': 'クラウドの言葉',

  'text.count': 'これまでの回答 {count} 件',
  'text.answer-on-phone': 'スマートフォンから回答してください',
  'text.label': 'あなたの回答',
  'text.placeholder': '回答を入力',
  'text.send': '送信',
  'text.mine': 'あなたの回答',
  'text.left': 'あと {count} 件送れます',
  'text.thanks': 'ありがとうございます！発表者が回答をスクリーンに表示することがあります。',
  'text.closed': '回答は締め切りました',
  'text.on-screen': 'スクリーンに表示中',
  'text.hidden-mark': '発表者が非表示にしました',
  'text.show-one': '表示',
  'text.showing': '表示中',
  'text.show-list': '一覧を表示',
  'text.show-none': '何も表示しない',
  'text.hide': '非表示',
  'text.unhide': '再表示',
  'text.none': 'まだ回答はありません',
  'text.characters-left': '残り {count} 文字',
};
