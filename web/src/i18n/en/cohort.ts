/** Strings of the cohort part of the app. */
export const cohort = {
  title: 'Cohort',
  intro:
    'Relief computes these figures from de-identified rows of the registry. They describe this cohort; ' +
    'they do not show that a treatment works. Read each rate with its n and its interval.',
  asOf: '{n, plural, one {# procedure} other {# procedures}} in this cohort, as of {date}.',
  levelNote: 'Every interval is {level} % unless stated.',
  empty: 'No procedure matches this cohort.',
  notEnoughData: 'not enough data',
  notReached: 'not reached',
  dash: '—',
  tooSmall: 'This cohort is not shown: {message}. Widen the filter (more sites, years or conditions).',
  loadFailed: 'The cohort could not be computed.',
  filter: {
    legend: 'Choose a cohort',
    procedureType: 'Procedure type',
    sites: 'Sites',
    sitesHint: 'None ticked: every site you may see.',
    surgeon: 'Surgeon code',
    surgeonHint: 'As recorded with the procedure, e.g. S1.',
    from: 'Procedures from',
    to: 'Procedures to',
    wholeYearsHint: 'Researchers choose whole years: from a 1 January, to a 31 December.',
    condition: 'Condition',
    headacheType: 'Headache at baseline',
    groupBy: 'Durability curves by',
    window: 'Window compared',
    windowHint: 'The visit at which groups, predictors and funnels are compared.',
    any: 'Any',
    submit: 'Show cohort',
    reset: 'Clear the filter',
    shareHint: 'The address of this page keeps the filter: bookmark it or share it.',
  },
  procedureTypes: { 'fat-transfer': 'Fat transfer' } as Record<string, string>,
  conditions: {
    migraine: 'Migraine',
    'post-surgical-neuropathic-pain': 'Post-surgical neuropathic pain',
    'post-mastectomy-pain': 'Post-mastectomy pain',
    'diabetic-neuropathy': 'Diabetic neuropathy',
    'complex-regional-pain-syndrome': 'Complex regional pain syndrome',
    'occipital-neuralgia': 'Occipital neuralgia',
    'other-neuropathic-pain': 'Other neuropathic pain',
  } as Record<string, string>,
  headacheTypes: {
    chronic: 'Chronic (≥ 15 headache days per 28)',
    episodic: 'Episodic (fewer than 15)',
  } as Record<string, string>,
  groupBy: {
    none: 'None (whole cohort)',
    procedureType: 'Procedure type',
    decompression: 'Nerve decompression or not',
    site: 'Site',
    surgeon: 'Surgeon',
  } as Record<string, string>,
  groups: {
    all: 'All procedures',
    decompression: 'With nerve decompression',
    'no-decompression': 'Without nerve decompression',
  } as Record<string, string>,
  windowLabel: '{n, plural, one {# month} other {# months}}',
  windowWithN: '{window} · n = {n}',
  download: 'Download CSV',
  tableDetails: 'Table behind the chart',
  responders: {
    heading: 'Responder rates',
    explain:
      'Share of procedures whose migraine days per 28 fell by at least 50, 75 or 100 % from baseline, per ' +
      'follow-up window, among those with a sufficient diary at baseline and in the window (n). Bars: Wilson ' +
      'intervals.',
    chartLabel: 'Responder rates with Wilson intervals per follow-up window at 50, 75 and 100 % reduction',
    caption: 'Responder rates per window',
    y: 'Responders (%)',
    x: 'MMD reduction of at least (%)',
    threshold: '≥ {threshold} %',
    columns: {
      window: 'Window',
      threshold: 'Reduction ≥ (%)',
      x: 'Responders',
      n: 'n',
      rate: 'Rate',
      lower: 'Lower',
      upper: 'Upper',
    },
  },
  durability: {
    heading: 'Durability of response',
    explain:
      'Kaplan–Meier estimate of staying free of relapse among responders (a relapse: two adjacent 28-day ' +
      'periods below a 50 % reduction, Relief’s configurable default). Shaded: pointwise interval. Crosses: ' +
      'censored (followed without relapse so far).',
    chartLabel: 'Kaplan–Meier curves of time to relapse among responders, with interval bands and numbers at risk',
    y: 'Free of relapse (%)',
    x: 'Days since the procedure',
    atRisk: 'Number at risk',
    noResponders: 'No responder to follow yet: no durability curve.',
    medianLine:
      '{group}: median time to relapse {median}; {n, plural, one {# responder} other {# responders}}, ' +
      '{events, plural, one {# relapse} other {# relapses}}.',
    medianDays: '{median} days ({lower} to {upper})',
    logRank: 'Log-rank test across groups: χ² = {chi} on {df} df, p = {p}.',
    logRankNone: 'Log-rank test: not computed (fewer than two groups with responders, or no relapse).',
    unknown: '{n, plural, one {# responder} other {# responders}} without a recorded surgeon not shown.',
    mediansCaption: 'Median days to relapse per group',
    atRiskCaption: 'Number at risk per group (responders still followed without relapse)',
    curveCaption: 'Kaplan–Meier curve points',
    columns: {
      group: 'Group',
      n: 'Responders',
      events: 'Relapses',
      median: 'Median (days)',
      medianLower: 'Lower',
      medianUpper: 'Upper',
      time: 'Day',
      survival: 'Free of relapse',
      lower: 'Lower',
      upper: 'Upper',
      nRisk: 'At risk',
      nEvent: 'Relapses',
      nCensor: 'Censored',
      day: 'Day {day}',
    },
  },
  change: {
    heading: 'Change from baseline',
    explain:
      'Follow-up minus baseline per window (negative: fewer days or a lower score). Circles: mean with its ' +
      't interval; diamonds: Hodges–Lehmann median with its interval.',
    measure: 'Measure',
    measures: {
      mmdChange: 'Migraine days per 28',
      midasChange: 'MIDAS score',
      hit6Change: 'HIT-6 score',
    } as Record<string, string>,
    chartLabel:
      'Change from baseline in {measure} per follow-up window: means and Hodges–Lehmann medians with intervals',
    y: 'Change from baseline',
    mean: 'Mean (t)',
    hodgesLehmann: 'Median (H–L)',
    meanShort: 'Mean',
    hodgesLehmannShort: 'H–L',
    caption: 'Change from baseline per window: {measure}',
    lowLevel:
      'At {windows} too few differences cannot reach a {level} % Hodges–Lehmann interval: the interval shown ' +
      'there is at the lower level given in the table.',
    columns: {
      window: 'Window',
      n: 'n',
      mean: 'Mean',
      meanLower: 'Mean lower',
      meanUpper: 'Mean upper',
      sd: 'SD',
      median: 'Median',
      hodgesLehmann: 'H–L median',
      hodgesLehmannLower: 'H–L lower',
      hodgesLehmannUpper: 'H–L upper',
      hodgesLehmannLevel: 'H–L level',
      wilcoxonP: 'Wilcoxon p',
    },
  },
  funnel: {
    heading: 'Funnel plot',
    explain:
      '50 % responder rate at {window} of each {unit} against its n, around the whole cohort’s rate, with ' +
      '95 % (dashed) and 99.8 % (solid) limits (exact binomial, Spiegelhalter 2005). A unit outside the ' +
      'limits may differ by more than chance; case mix is not adjusted for.',
    of: 'Funnel of',
    surgeon: 'Surgeons',
    site: 'Sites',
    unitWord: { surgeon: 'surgeon', site: 'site' } as Record<string, string>,
    chartLabel: 'Funnel plot of the 50 % responder rate per {unit} against n, with 95 % and 99.8 % limits',
    x: 'Procedures judged (n)',
    y: 'Responders (%)',
    overall: 'Whole cohort: {x} of {n} ({rate}).',
    overallLine: 'whole cohort',
    unknown: '{n, plural, one {# procedure} other {# procedures}} without a recorded surgeon not shown.',
    noUnits: 'No unit has a procedure judged at this window.',
    caption: 'Responder rate per {unit} at {window}',
    positions: {
      inside: 'inside',
      above: 'above',
      below: 'below',
    } as Record<string, string>,
    shapes: {
      inside: 'Inside the 95 % limits',
      outside95: 'Outside the 95 % limits',
      outside998: 'Outside the 99.8 % limits',
    },
    columns: {
      unit: 'Unit',
      x: 'Responders',
      n: 'n',
      rate: 'Rate',
      lower95: '95 % lower',
      upper95: '95 % upper',
      lower998: '99.8 % lower',
      upper998: '99.8 % upper',
      position95: '95 % limits',
      position998: '99.8 % limits',
    },
  },
  comparisons: {
    heading: 'Groups compared',
    explain:
      '50 % responder rate at {window} per group, and its difference from the reference group (the one ' +
      'with the most procedures judged) with Newcombe’s interval.',
    by: {
      procedureType: 'By procedure type',
      decompression: 'By nerve decompression',
      site: 'By site',
      surgeon: 'By surgeon',
    } as Record<string, string>,
    reference: 'reference',
    unknown: '{n, plural, one {# procedure} other {# procedures}} without a recorded surgeon not counted.',
    empty: 'No procedure judged at this window.',
    columns: {
      group: 'Group',
      x: 'Responders',
      n: 'n',
      rate: 'Rate',
      lower: 'Lower',
      upper: 'Upper',
      difference: 'Difference from reference',
      differenceLower: 'Difference lower',
      differenceUpper: 'Difference upper',
    },
  },
  predictors: {
    heading: 'Who benefits',
    explain:
      'Firth logistic regression of a 50 % response at {window} on every characteristic at once, over the ' +
      'procedures with every value known. Odds ratios above 1: more often a responder, the others held fixed.',
    counts:
      '{nEvaluable} judged at the window, {n} with every value known ({nDropped} left out); {responders} ' +
      'responders, {nonResponders} non-responders.',
    epp: '{epp} events per predictor (at least {min} needed).',
    refused: 'Not fitted. {reason}.',
    caption: 'Odds ratios of a 50 % response at {window}',
    columns: {
      predictor: 'Predictor',
      description: 'Per',
      missing: 'Missing',
      oddsRatio: 'Odds ratio',
      lower: 'Lower',
      upper: 'Upper',
      p: 'p',
    },
  },
  patients: {
    heading: 'De-identified rows',
    explain:
      'One row per procedure, as the statistics above read them: no names, ids or dates. Row numbers are ' +
      'drawn afresh for every request.',
    download: 'Download the {n, plural, one {# row} other {# rows}} (CSV)',
  },
};
