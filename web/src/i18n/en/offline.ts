/** Strings of the offline part of the app: the outbox status on the patient's pages. */
export const offline = {
  regionLabel: 'Sending your entries',
  allSent: 'All entries sent',
  lastSent: 'last sent {time}',
  waiting:
    '{n, plural, one {# entry waiting to be sent} other {# entries waiting to be sent}} — they go as soon as you are online',
  sending: '{n, plural, one {Sending # entry…} other {Sending # entries…}}',
  signInNeeded:
    '{n, plural, one {# entry is waiting} other {# entries are waiting}} on this phone — sign in again to send them',
  rejectedCount: '{n, plural, one {# entry was not accepted} other {# entries were not accepted}} — see below',
  signIn: 'Sign in again',
  sendNow: 'Send now',
  rejectedTitle: 'Not accepted by the server',
  rejectedIntro: 'These entries are kept on this phone until you correct or discard them.',
  kinds: {
    attack: 'Attack',
    'daily-record': 'Daily check-in',
    medication: 'Medication',
    questionnaire: 'Questionnaire',
  },
  deletion: 'Deleting: {what}',
  savedAt: 'saved {time}',
  invalid: 'The server asks for these corrections:',
  conflict:
    'It was changed elsewhere (at the clinic or on another device) before your change arrived. Open it to see that version and make your change again, or discard your change to keep that version as it is.',
  sameDay:
    'There is already a check-in for {date} on the server. Open that day’s check-in to change it, or discard this one.',
  /** On the page where the patient corrects an entry refused as changed elsewhere. */
  conflictShown:
    'This entry was changed elsewhere (at the clinic or on another device). You see the version saved there: make your change again and save it.',
  conflictDeleted:
    'This entry was deleted elsewhere (at the clinic or on another device). You see your own version: save it to keep it, or delete it.',
  edit: 'Correct it',
  discard: 'Discard…',
  confirmDiscard: 'Discard this entry? It was not saved on the server and will be gone from this phone.',
  confirmYes: 'Discard it',
  confirmNo: 'Keep it',
};
