/** Strings of the insight part of the app: the month calendar, trends, My diary and questionnaires. */
export const insight = {
  calendar: {
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    weekdaysLong: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    weekOf: 'Week of {date}',
    previous: 'Previous month ({month})',
    next: 'Next month ({month})',
    navigation: 'Choose month',
    /** "3 November: moderate headache, acute medication taken" */
    dayLabel: '{date}: {state}',
    state: {
      notRecorded: 'nothing recorded',
      future: 'not yet',
      none: 'no headache',
      confirmedFree: 'headache-free (confirmed)',
      mild: 'mild headache',
      moderate: 'moderate headache',
      severe: 'severe headache',
      unknown: 'headache, intensity not recorded',
    },
    migraine: 'migraine day',
    aura: 'aura',
    medication: 'acute medication taken',
    painRating: 'nerve pain {pain} of 10',
    legendTitle: 'Key',
    legend: {
      notRecorded: 'Nothing recorded',
      none: 'No headache',
      mild: 'Mild',
      moderate: 'Moderate',
      severe: 'Severe',
      unknown: 'Headache, intensity not recorded',
      medication: 'Acute medication taken',
    },
  },
  trend: {
    label:
      'Migraine days, headache days and acute medication days per 28 recorded days, {unit}, with the procedure ' +
      'date and baseline',
    unitMonth: 'by calendar month',
    unitPeriod: 'by 28-day period',
    byMonth: 'Months',
    byPeriod: '28-day periods',
    chooseView: 'Show',
    migraineDays: 'Migraine days',
    headacheDays: 'Headache days',
    medicationDays: 'Acute medication days',
    procedure: 'Procedure {date}',
    baseline: 'Before the procedure: {value}',
    baselineMigraine: 'Migraine days before the procedure (per 28 days)',
    baselineMedication: 'Acute medication days before the procedure (per 28 days)',
    incompleteNote:
      'Every value is per 28 recorded days, like the level before the procedure, so months of different lengths ' +
      'compare. A month or period with fewer than {percent}% of its days recorded has no value: it reads “not ' +
      'enough diary” and is shaded, without a point. Hollow points: the month or period is not over yet.',
    gap: '{name}: not enough diary',
    tableSummary: 'Table of the chart',
    tableCaption: 'Days per 28 recorded days; “not enough diary” when fewer than {percent}% of the days are recorded.',
    columns: {
      month: 'Month',
      period: 'Period',
      from: 'From',
      to: 'To',
      recordedDays: 'Days recorded',
      migraineDays: 'Migraine days',
      headacheDays: 'Headache days',
      medicationDays: 'Acute medication days',
      per28: '{series} per 28 days',
    },
    periodName: 'Period {index}',
    baselineRow: 'Baseline (28 days before the procedure)',
    recordedOf: '{recorded} of {days}',
    notEnough: 'not enough diary',
    empty: 'Nothing recorded yet: the trends appear once you have kept your diary for a while.',
    csvName: 'relief-trends.csv',
  },
  myDiary: {
    title: 'My diary',
    calendarTitle: 'Calendar',
    calendarHint: 'Choose a day to see its entries.',
    dayTitle: '{date}',
    dayNothing: 'Nothing recorded on this day.',
    dayHeadacheFree: 'No headache.',
    attackLink: 'Attack {n}: see or add details',
    trendsTitle: 'How it is going',
    trendsHint: 'Migraine days and days with acute medication per 28 recorded days, month by month.',
    noDiary: 'Your diary is empty so far. Log a headache or do the daily check-in to start it.',
    loadingDays: 'Loading the calendar…',
  },
  overuse: {
    title: 'About your medicines',
    /** "In October 2026 you took triptans on 12 days." */
    took: 'In {month} you took {medicine} on {days, plural, one {# day} other {# days}}.',
    tookSeveral: 'In {month} you took {medicine} on {days, plural, one {# day} other {# days}} in total.',
    risk:
      'Taking them on {threshold} or more days a month for more than 3 months can make headaches more frequent ' +
      '(medication-overuse headache).',
    sustained: 'This has now been the case for more than 3 months in a row.',
    talk: 'Talk to your doctor about it. Do not stop a medicine on your own.',
    earlier: 'Also in {months}.',
    medicine: {
      '8.2.1': 'ergotamine',
      '8.2.2': 'triptans',
      '8.2.3': 'simple painkillers (such as paracetamol, aspirin or ibuprofen)',
      '8.2.4': 'opioid painkillers (such as codeine or tramadol)',
      '8.2.5': 'combination painkillers',
      '8.2.6': 'several kinds of headache medicine',
    } as Record<string, string>,
  },
  triggers: {
    title: 'My triggers',
    intro:
      'Relief compares the days before your attacks with the days before attack-free days, for each factor you ' +
      'record in the daily check-in.',
    caveat:
      'These are links found in your own diary, not proof that a factor causes your attacks (something else may ' +
      'come with it). Talk to your doctor before you change your treatment.',
    none: 'No factors recorded yet. Record factors such as stress or sleep in the daily check-in to see your triggers.',
    groups: {
      trigger: 'Possible triggers',
      protector: 'Possibly protective',
      'no-association': 'No link found',
      'insufficient-data': 'Not enough data yet',
    },
    verdict: {
      trigger: 'trigger',
      protector: 'protector',
      'no-association': 'no link',
      'insufficient-data': 'not enough data yet',
    },
    /** Lag 1: the factor on the day before. */
    triggerText:
      'After a day with {factor}, the odds of an attack starting were about {or} times as high ' +
      '(95% interval {lower} to {upper}).',
    protectorText:
      'After a day with {factor}, the odds of an attack starting were about {or} times as high, that is lower ' +
      '(95% interval {lower} to {upper}).',
    noAssociationText:
      'After a day with {factor}, the odds of an attack starting were about the same: {or} times ' +
      '(95% interval {lower} to {upper}, inside the range that counts as no effect).',
    moreDays: 'About {days, plural, one {# more day} other {# more days}} of diary needed at your pace so far.',
    cannotEstimate: 'How long it will take cannot be told yet: {what}.',
    noOnsetsYet: 'no attack start has been recorded on a day that counts yet',
    noExposureYet: 'no day with {factor} has been recorded before a day that counts yet',
    progress: 'So far: {parts}.',
    progressDays: '{n} of the {min} recorded days needed',
    progressOnsets: '{n} of the {min} attack starts needed',
    progressExposed: '{n} of the {min} days with {factor} needed',
    unclear:
      'Not clear yet: the numbers so far fit a trigger as well as no effect (odds {or} times, 95% interval ' +
      '{lower} to {upper}). More days will make it clearer.',
    noContrast: 'Nothing to compare: {factor} was recorded on every day that counts, or on none.',
    noFit: 'The numbers could not be worked out yet.',
    lowPower: 'With fewer than {n} attack starts, a weak link can still be missed.',
    premonitory:
      'Noticed mostly on the day an attack starts: it may be an early sign of the attack rather than its cause.',
    numbers: 'The numbers',
    numbersOr:
      'Odds ratio {or} (95% interval {lower} to {upper}), q = {q} (after correcting for testing many factors).',
    numbersCounts:
      'An attack started on {a} of {b} days after a day with {factor}, and on {c} of {d} days counted in all.',
  },
  due: {
    title: 'Questionnaires to fill in',
    none: 'No questionnaire is due.',
    item: '{instrument} for your {visit} visit',
    dueBy: 'Please fill it in by {date}.',
    overdue: 'Overdue since {date}.',
    open: 'Fill in {instrument}',
  },
  questionnaire: {
    unknown: 'There is no questionnaire called “{name}”.',
    intro: {
      MIDAS:
        'MIDAS asks how much your headaches kept you from your usual activities in the last 3 months. ' +
        'Answer with a number of days.',
      'HIT-6': 'HIT-6 asks how your headaches affect your daily life. Choose one answer for each question.',
      PGIC: 'This question asks how your headaches have changed since your treatment.',
    } as Record<string, string>,
    titles: {
      MIDAS: 'MIDAS: headache disability',
      'HIT-6': 'HIT-6: headache impact',
      PGIC: 'Overall change since treatment',
    } as Record<string, string>,
    wordingNote:
      'Relief does not include the licensed HIT-6 wording: each question says what the HIT-6 item asks. Your ' +
      'clinic can give you the official form.',
    date: 'Date of answers: {date}',
    submit: 'Save answers',
    saving: 'Saving…',
    savedTitle: 'Saved',
    queued: 'Saved on this phone. It will be sent when you are back online.',
    sent: 'Your answers were sent to your care team.',
    backToDiary: 'Back to My diary',
    required: 'Please answer this question.',
    daysRange: 'Enter a whole number of days from 0 to 90.',
    painRange: 'Enter a number from 0 to 10.',
    fixFirst: 'Please answer {count, plural, one {# question} other {# questions}} first: see the marked ones below.',
    days: 'days',
    optional: '(optional)',
    midas: {
      items: [
        'On how many days in the last 3 months did you miss work or school because of your headaches?',
        'On how many days in the last 3 months was your productivity at work or school reduced by half or more ' +
          'because of your headaches? (Do not count the days you missed work or school.)',
        'On how many days in the last 3 months did you not do household work because of your headaches?',
        'On how many days in the last 3 months was your productivity in household work reduced by half or more ' +
          'because of your headaches? (Do not count the days you did no household work.)',
        'On how many days in the last 3 months did you miss family, social or leisure activities because of your ' +
          'headaches?',
      ],
      a: 'On how many days in the last 3 months did you have a headache? (If a headache lasted more than 1 day, count each day.)',
      b: 'On a scale of 0 to 10, on average how painful were these headaches? (0 = no pain at all, 10 = pain as bad as it can be.)',
      score: 'Your MIDAS score is {score}: grade {grade} ({meaning}).',
      grades: {
        I: 'little or no disability',
        II: 'mild disability',
        III: 'moderate disability',
        IV: 'severe disability',
      } as Record<string, string>,
    },
    hit6: {
      /** What each HIT-6 item asks, not its licensed wording (© QualityMetric/GSK; a site loads that). */
      items: [
        'Severe pain: how often your headache pain is severe.',
        'Daily activities: how often headaches limit your usual activities (household work, work, school, social life).',
        'Lying down: how often you wish you could lie down when you have a headache.',
        'Tiredness, past 4 weeks: how often headaches left you too tired for work or daily activities.',
        'Irritation, past 4 weeks: how often headaches left you fed up or irritated.',
        'Concentration, past 4 weeks: how often headaches limited your ability to concentrate.',
      ],
      answers: {
        never: 'Never',
        rarely: 'Rarely',
        sometimes: 'Sometimes',
        'very-often': 'Very often',
        always: 'Always',
      } as Record<string, string>,
      score: 'Your HIT-6 score is {score} of 78: {meaning}.',
      bands: {
        'little-or-no-impact': 'little or no impact on your life',
        'some-impact': 'some impact on your life',
        'substantial-impact': 'substantial impact on your life',
        'severe-impact': 'severe impact on your life',
      } as Record<string, string>,
    },
    pgic: {
      question:
        'Since the start of your treatment, how would you describe the change (if any) in your headaches and how ' +
        'you feel overall?',
      answers: {
        'very-much-improved': 'Very much improved',
        'much-improved': 'Much improved',
        'minimally-improved': 'Minimally improved',
        'no-change': 'No change',
        'minimally-worse': 'Minimally worse',
        'much-worse': 'Much worse',
        'very-much-worse': 'Very much worse',
      } as Record<string, string>,
      score: 'You answered: {answer}.',
    },
  },
};
