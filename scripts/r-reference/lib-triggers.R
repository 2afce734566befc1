# Shared by triggers-real-diary.R and triggers-synthetic-diary.R: the Firth fit of one factor and
# the verdicts with Relief's default thresholds (src/domain/config.ts DEFAULT_TRIGGER_CONFIG).
# Needs brglm2 and lib-firth.R.

trigger_thresholds <- list(
  fdr = 0.1, lower = 0.67, upper = 1.5,
  recorded = 90, onsets = 10, exposed = 5, low_power = 24
)

# The exposure's odds ratio (column 2 of the design X, intercept first) from brglm2
# (type = "AS_mean"), with the profile penalised-likelihood interval and penalised LR p of lib-firth.R.
firth_exposure <- function(X, y) {
  fit <- glm(y ~ X - 1,
    family = binomial, method = "brglmFit", type = "AS_mean",
    control = brglmControl(epsilon = 1e-12, maxit = 200)
  )
  own <- firth_fit(X, y)
  stopifnot(max(abs(own$beta - coef(fit))) < 1e-9)
  profile <- firth_profile(X, y, 2, 0.95, own)
  list(oddsRatio = unname(exp(coef(fit)[2])), ciLower = exp(profile$lower), ciUpper = exp(profile$upper), p = profile$p)
}

# The verdict on one factor, and for "insufficient-data" the reason.
trigger_verdict <- function(r, recorded_days) {
  t <- trigger_thresholds
  reason <- NA_character_
  verdict <- "insufficient-data"
  if (recorded_days < t$recorded) {
    reason <- "recorded days"
  } else if (r$onsets < t$onsets) {
    reason <- "onsets"
  } else if (r$exposedDays < t$exposed) {
    reason <- "exposed days"
  } else if (is.na(r$p)) {
    reason <- "no fit"
  } else if (r$q < t$fdr && r$oddsRatio > 1) {
    verdict <- "trigger"
  } else if (r$q < t$fdr && r$oddsRatio < 1) {
    verdict <- "protector"
  } else if (r$ciLower >= t$lower && r$ciUpper <= t$upper) {
    verdict <- "no-association"
  } else {
    reason <- "wide interval"
  }
  list(verdict = verdict, reason = reason)
}

# `by_lag` holds the fits of the factors, in one order, under "1" and "0". Adds q = p.adjust(p, "BH")
# per lag, the verdict (and its reason when `reasons`), lowPower, and possiblyPremonitory (associated
# at lag 0 but not at lag 1). Returns lag 1's results, then lag 0's.
judge_trigger_fits <- function(by_lag, recorded_days, reasons) {
  for (lag in names(by_lag)) {
    fits <- by_lag[[lag]]
    p <- sapply(fits, function(r) r$p)
    q <- rep(NA_real_, length(p))
    q[!is.na(p)] <- p.adjust(p[!is.na(p)], method = "BH")
    for (k in seq_along(fits)) {
      fits[[k]]$q <- q[k]
      v <- trigger_verdict(fits[[k]], recorded_days)
      fits[[k]]$verdict <- v$verdict
      if (reasons) fits[[k]]$reason <- v$reason
      fits[[k]]$lowPower <- fits[[k]]$onsets < trigger_thresholds$low_power
    }
    by_lag[[lag]] <- fits
  }
  associated <- function(r) r$verdict %in% c("trigger", "protector")
  for (k in seq_along(by_lag[["1"]])) {
    premonitory <- associated(by_lag[["0"]][[k]]) && !associated(by_lag[["1"]][[k]])
    by_lag[["1"]][[k]]$possiblyPremonitory <- premonitory
    by_lag[["0"]][[k]]$possiblyPremonitory <- premonitory
  }
  c(by_lag[["1"]], by_lag[["0"]])
}
