# Reference values for the personal trigger analysis (src/domain/triggers.ts) on the real daily
# trigger diary (REAL_DATA_DIR/daily-trigger-diary-490d.csv): 490 days, newest first, 5 days
# missing; headache severity 0/1/2 per day; 24 factors on 1–4, where 1 = none.
#
# Built here from the CSV, independently of Relief's reader:
# - At-risk days: a headache day is an onset (outcome 1) when the day before is recorded and
#   headache-free; a headache day after a headache day continues the episode, and one after a
#   missing day cannot be told apart: neither is at risk. A headache-free day is at risk (outcome 0)
#   unless the day before is a headache day (no onset could be seen on it).
# - Exposure: factor > 1. Lag 1 reads the day before (the row is dropped when that day is missing),
#   lag 0 the same day. Five rows give the severity but leave every factor blank: there the factors
#   are unknown, and a row reading them is dropped.
# - Each factor alone: Firth logistic regression onset ~ exposure; the estimate from brglm2
#   (type = "AS_mean"), the profile penalised-likelihood interval and penalised LR p from
#   lib-firth.R; q = p.adjust(p, "BH") across the 24 factors, per lag.
# - Verdicts with Relief's default thresholds (src/domain/config.ts DEFAULT_TRIGGER_CONFIG), as
#   lib-triggers.R gives them.
suppressPackageStartupMessages(library(brglm2))
source("lib-firth.R")
source("lib-triggers.R")

path <- file.path(REAL_DATA_DIR, "daily-trigger-diary-490d.csv")
if (!file.exists(path)) {
  cat("skipped:", path, "is missing (see ../shared/data/README.md); the committed values stay\n")
  quit(save = "no", status = 0)
}
diary <- read.csv(path, check.names = FALSE)
diary$Date <- as.Date(diary$Date)
diary <- diary[order(diary$Date), ]
factors <- setdiff(names(diary), c("Date", "Headache severity", "Notes"))
stopifnot(length(factors) == 24, nrow(diary) == 490, !anyDuplicated(diary$Date))
values <- as.matrix(diary[factors])
blank <- apply(is.na(values), 1, all)
stopifnot(sum(blank) == 5, all(values[!blank, ] %in% 1:4))

all_days <- seq(min(diary$Date), max(diary$Date), by = "day")
stopifnot(length(all_days) - nrow(diary) == 5)
# One entry per calendar day, NA where the day is missing.
row_of <- match(all_days, diary$Date)
severity <- diary[["Headache severity"]][row_of]
recorded <- !is.na(severity)
headache <- recorded & severity > 0
previous <- c(NA, head(seq_along(all_days), -1))

at_risk <- logical(length(all_days))
onset <- integer(length(all_days))
continuation <- 0
undetermined <- 0
after_episode <- 0
for (i in seq_along(all_days)) {
  if (!recorded[i]) next
  before <- previous[i]
  if (!is.na(before) && headache[before]) {
    if (headache[i]) continuation <- continuation + 1 else after_episode <- after_episode + 1
  } else if (!headache[i]) {
    at_risk[i] <- TRUE
  } else if (is.na(before) || !recorded[before]) {
    undetermined <- undetermined + 1
  } else {
    at_risk[i] <- TRUE
    onset[i] <- 1L
  }
}

recorded_days <- sum(recorded)

fit_factor <- function(factor, lag) {
  days <- which(at_risk)
  source_day <- if (lag == 1) previous[days] else days
  value <- diary[[factor]][row_of[source_day]]
  keep <- !is.na(value)
  days <- days[keep]
  x <- as.integer(value[keep] > 1)
  y <- onset[days]
  out <- list(
    factor = factor, lag = lag, atRiskDays = length(y), exposedDays = sum(x),
    onsets = sum(y), exposedOnsets = sum(x * y),
    oddsRatio = NA_real_, ciLower = NA_real_, ciUpper = NA_real_, p = NA_real_
  )
  if (sum(x) == 0 || sum(x) == length(x)) {
    return(out)
  }
  fit <- firth_exposure(cbind(1, x), y)
  out[names(fit)] <- fit
  out
}

by_lag <- list("1" = lapply(factors, fit_factor, lag = 1), "0" = lapply(factors, fit_factor, lag = 0))

write_expected("triggers-real-diary", list(
  source = "daily-trigger-diary-490d.csv",
  recordedDays = recorded_days,
  atRiskDays = sum(at_risk),
  onsets = sum(onset),
  continuationDays = continuation,
  undeterminedOnsetDays = undetermined,
  afterEpisodeDays = after_episode,
  triggers = judge_trigger_fits(by_lag, recorded_days, reasons = TRUE)
))
