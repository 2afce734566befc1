# Reference values for the personal trigger analysis (src/domain/triggers.ts) on a synthetic
# diary that exercises what the real trigger diary does not: attack entries lasting several days,
# days with no entry, numbers of hours (low/high against the median), a factor recorded only when
# ticked, and the adjustment for perimenstrual days. Input: inputs/triggers-synthetic-diary.json
# (the diary from src/synthetic/trigger-diary-generator.ts with the options stored beside it).
#
# The rules, built here from the diary independently of Relief:
# - Recorded day: a daily record, or a day an attack entry covers (from its start to its end date).
# - At risk: an attack entry's start day is an onset unless an attack begun earlier covers the day
#   (then no day it covers after its start is at risk); a day-level headache (none here) would
#   follow the daily-severity rules; any other recorded day is at risk with outcome 0.
# - Factor kinds: logical -> exposed when TRUE; every value an integer 0-3 -> exposed when > 0;
#   other numbers -> "<name> low"/"<name> high" when below/above the median by more than 1.5 for
#   "sleep hours", 20 % of the median otherwise.
# - A factor is known from the first to the last daily record naming it; a record inside that span
#   naming other factors but not this one counts as not exposed.
# - Lag 1 reads the daily record of the day before, lag 0 that of the same day; no record: dropped.
# - Perimenstrual: from two days before to two days after a first day of light, medium or heavy
#   flow (a flow day whose previous day has no such flow); ICHD-3 A1.1 "day -2 to +3", no day 0.
# - Firth fits with brglm2 (estimate) and lib-firth.R (profile interval, penalised LR p);
#   q = p.adjust(p, "BH") per lag; verdicts with the default thresholds.
suppressPackageStartupMessages(library(brglm2))
source("lib-firth.R")
source("lib-triggers.R")

input <- read_input("triggers-synthetic-diary")
diary <- input$diary
records <- diary$dailyRecords
record_dates <- as.Date(sapply(records, function(r) r$date))
stopifnot(!is.unsorted(record_dates))
attack_start <- as.Date(substr(sapply(diary$attacks, function(a) a$start), 1, 10))
attack_end <- as.Date(substr(sapply(diary$attacks, function(a) a$end), 1, 10))
# Every attack here runs from 08:00 to 20:00 UTC: its end date is its last day.
stopifnot(all(grepl("T20:00:00Z$", sapply(diary$attacks, function(a) a$end))))

first <- min(record_dates, attack_start)
last <- max(record_dates, attack_end)
all_days <- seq(first, last, by = "day")
n_days <- length(all_days)
index_of <- function(d) as.integer(d - first) + 1L

record_index <- rep(NA_integer_, n_days)
record_index[index_of(record_dates)] <- seq_along(records)
covered <- logical(n_days)
starts_here <- logical(n_days)
continues <- logical(n_days)
for (k in seq_along(attack_start)) {
  s <- index_of(attack_start[k])
  e <- index_of(attack_end[k])
  covered[s:e] <- TRUE
  if (e > s) continues[(s + 1):e] <- TRUE
  starts_here[s] <- TRUE
}
recorded <- covered | !is.na(record_index)
stopifnot(!any(sapply(records, function(r) !is.null(r$headache))))

at_risk <- recorded & !continues
onset <- as.integer(at_risk & starts_here)
rows <- which(at_risk)

# Perimenstrual days from the recorded flow.
flow <- rep(FALSE, n_days)
for (k in seq_along(records)) {
  m <- records[[k]]$menstruation
  if (!is.null(m) && m %in% c("light", "medium", "heavy")) flow[index_of(record_dates[k])] <- TRUE
}
period_start <- which(flow & !c(FALSE, head(flow, -1)))
perimenstrual <- logical(n_days)
for (s in period_start) perimenstrual[max(1, s - 2):min(n_days, s + 2)] <- TRUE

# Exposure per daily record: 1, 0 or NA, for each analysed factor.
names_in <- lapply(records, function(r) names(r$factors))
factor_names <- unique(unlist(names_in))
exposures <- list()
for (name in factor_names) {
  mentions <- which(sapply(names_in, function(n) name %in% n))
  span <- seq(min(mentions), max(mentions))
  value <- rep(NA, length(records))
  value[mentions] <- sapply(records[mentions], function(r) r$factors[[name]])
  value <- unlist(value)
  present <- value[mentions]
  known <- rep(FALSE, length(records))
  known[span] <- sapply(records[span], function(r) length(r$factors) > 0)
  exposure_of <- function(test) {
    e <- rep(NA_integer_, length(records))
    e[known] <- 0L
    hit <- mentions[test(present)]
    e[hit] <- 1L
    e
  }
  if (is.logical(present)) {
    exposures[[name]] <- exposure_of(function(v) v)
  } else if (all(present == round(present) & present >= 0 & present <= 3)) {
    exposures[[name]] <- exposure_of(function(v) v > 0)
  } else {
    centre <- median(present)
    deviation <- if (name == "sleep hours") 1.5 else 0.2 * abs(centre)
    exposures[[paste(name, "low")]] <- exposure_of(function(v) v < centre - deviation)
    exposures[[paste(name, "high")]] <- exposure_of(function(v) v > centre + deviation)
  }
}

fit_factor <- function(name, lag, adjust) {
  source_day <- rows - lag
  rec <- ifelse(source_day >= 1, record_index[pmax(source_day, 1)], NA_integer_)
  x <- exposures[[name]][rec]
  keep <- !is.na(x)
  x <- x[keep]
  y <- onset[rows][keep]
  m <- as.integer(perimenstrual[rows][keep])
  adjusted <- adjust && length(period_start) > 0 && sum(m) > 0 && sum(m) < length(m)
  out <- list(
    factor = name, lag = lag, atRiskDays = length(y), exposedDays = sum(x),
    onsets = sum(y), exposedOnsets = sum(x * y),
    oddsRatio = NA_real_, ciLower = NA_real_, ciUpper = NA_real_, p = NA_real_,
    adjustedForMenstruation = adjusted
  )
  if (sum(x) == 0 || sum(x) == length(x)) {
    return(out)
  }
  fit <- firth_exposure(if (adjusted) cbind(1, x, m) else cbind(1, x), y)
  out[names(fit)] <- fit
  out
}

analyse <- function(adjust) {
  by_lag <- lapply(c("1" = 1, "0" = 0), function(lag) lapply(names(exposures), fit_factor, lag = lag, adjust = adjust))
  judge_trigger_fits(by_lag, sum(recorded), reasons = FALSE)
}

write_expected("triggers-synthetic-diary", list(
  recordedDays = sum(recorded),
  atRiskDays = length(rows),
  onsets = sum(onset),
  perimenstrualAtRiskDays = sum(perimenstrual[rows]),
  factors = names(exposures),
  unadjusted = analyse(FALSE),
  adjusted = analyse(TRUE)
))
