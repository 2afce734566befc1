# Reference values for src/domain/cohort-stats.ts: the statistics of the committed cohort rows
# (inputs/cohort-stats.json, written by cohort-stats-input.mjs), computed from the rows as anyone
# holding `relief cohort --json` would, with the R functions the report names:
# - responder rates: prop.test(x, n, correct = FALSE)$conf.int (Wilson);
# - change: t.test, median, wilcox.test(d, conf.int = TRUE). In the normal-approximation case
#   wilcox.test finds the estimate and the limits with uniroot (tol 1e-4); as in paired.R, the exact
#   quantities they approximate are written (the median of the Walsh averages; the Walsh average
#   where the continuity-corrected statistic crosses the normal quantile), each checked to lie
#   within R's tolerance of R's root;
# - durability: survfit(Surv(time, event) ~ 1) per group (log-scale intervals), the median and its
#   interval as print.survfit shows them (summary(fit)$table, as survival.R), survdiff for the
#   log-rank test;
# - group differences: Newcombe's hybrid score interval (Stat Med 1998;17:873, method 10) from the
#   two Wilson intervals of prop.test;
# - predictors: glm(..., method = "brglmFit", type = "AS_mean") (Firth), with the profile
#   penalised-likelihood interval and p of lib-firth.R;
# - funnels: qbinom/pbinom with Spiegelhalter's interpolation (Stat Med 2005;24:1185, appendix).
suppressPackageStartupMessages({
  library(survival)
  library(brglm2)
})
source("lib-firth.R")
source("lib-wilcoxon.R")

input <- read_input("cohort-stats")
rows <- input$rows
windows <- input$windows
level <- 0.95
tol <- 1e-4

value <- function(x) if (is.null(x)) NA else x
# Group names in the order of their code points, as the report sorts them.
ordered <- function(x) sort(unique(x), method = "radix")

# ---- change: t.test and wilcox.test ----------------------------------------------------------

wilcoxon <- function(d) {
  res <- suppressWarnings(wilcox.test(d, conf.int = TRUE, conf.level = level))
  x <- d[d != 0]
  out <- list(
    p = res$p.value, estimate = unname(res$estimate), lower = res$conf.int[1], upper = res$conf.int[2],
    level = attr(res$conf.int, "conf.level")
  )
  if (grepl("exact", res$method) || !is.finite(res$conf.int[1])) {
    return(out)
  }
  w <- walsh_averages(x)
  m <- length(w)
  out$estimate <- median(w)
  if (m %% 2 == 1 || w[m / 2] == w[m / 2 + 1]) {
    stopifnot(abs(unname(res$estimate) - out$estimate) <= tol)
  } else {
    stopifnot(res$estimate > w[m / 2], res$estimate < w[m / 2 + 1], W(x, res$estimate, FALSE) == 0)
  }
  achieved <- attr(res$conf.int, "conf.level")
  out$lower <- crossing(x, w, qnorm((1 - achieved) / 2, lower.tail = FALSE))
  out$upper <- crossing(x, w, qnorm((1 - achieved) / 2))
  stopifnot(abs(res$conf.int[1] - out$lower) <= tol, abs(res$conf.int[2] - out$upper) <= tol)
  out
}

change <- function(d) {
  n <- length(d)
  out <- list(
    n = n, mean = NA, sd = NA, meanLower = NA, meanUpper = NA, median = NA,
    hodgesLehmann = NA, hodgesLehmannLower = NA, hodgesLehmannUpper = NA, hodgesLehmannLevel = NA,
    wilcoxonP = NA
  )
  if (n == 0) {
    return(out)
  }
  out$mean <- mean(d)
  out$median <- median(d)
  if (n == 1) {
    return(out)
  }
  if (length(unique(d)) == 1) {
    out$sd <- 0
  } else {
    t <- t.test(d, conf.level = level)
    out$sd <- sd(d)
    out$meanLower <- t$conf.int[1]
    out$meanUpper <- t$conf.int[2]
  }
  nonzero <- d[d != 0]
  if (length(nonzero) == 0) {
    return(out)
  }
  w <- wilcoxon(d)
  out$wilcoxonP <- w$p
  out$hodgesLehmann <- w$estimate
  if (length(unique(nonzero)) >= 2) {
    out$hodgesLehmannLower <- w$lower
    out$hodgesLehmannUpper <- w$upper
    # wilcox.test lowers the level when too few differences reach the one asked for.
    out$hodgesLehmannLevel <- w$level
  }
  out
}

# ---- proportions -------------------------------------------------------------------------------

wilson <- function(x, n) {
  if (n == 0) {
    return(list(x = x, n = n, rate = NA, lower = NA, upper = NA))
  }
  ci <- suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = level))$conf.int
  list(x = x, n = n, rate = x / n, lower = ci[1], upper = ci[2])
}

newcombe <- function(a, b) {
  d <- a$rate - b$rate
  list(
    estimate = d,
    lower = d - sqrt((a$rate - a$lower)^2 + (b$upper - b$rate)^2),
    upper = d + sqrt((a$upper - a$rate)^2 + (b$rate - b$lower)^2)
  )
}

# ---- per window ----------------------------------------------------------------------------------

window_statistics <- function(k) {
  at <- lapply(rows, function(r) r$windows[[k]])
  judged <- Filter(function(w) !is.null(w$responder50), at)
  score_change <- function(score) {
    d <- c()
    for (r in rows) {
      v <- r$windows[[k]][[score]]
      b <- r$baseline[[score]]
      if (!is.null(v) && !is.null(b)) d <- c(d, v - b)
    }
    change(as.numeric(d))
  }
  responders <- lapply(c(50, 75, 100), function(t) {
    x <- sum(vapply(judged, function(w) isTRUE(w[[paste0("responder", t)]]), logical(1)))
    c(list(threshold = t), wilson(x, length(judged)))
  })
  list(
    visitId = windows[[k]]$visitId, label = windows[[k]]$label, months = windows[[k]]$months,
    nSufficient = length(judged),
    responders = responders,
    mmdChange = change(as.numeric(vapply(judged, function(w) w$mmdChange, numeric(1)))),
    midasChange = score_change("midas"),
    hit6Change = score_change("hit6")
  )
}

# ---- groups ----------------------------------------------------------------------------------------

group_of <- function(r, by) {
  switch(by,
    none = "all",
    procedureType = r$procedureType,
    decompression = if (r$predictors$decompression) "decompression" else "no-decompression",
    site = r$siteId,
    surgeon = value(r$surgeon)
  )
}

# ---- durability ------------------------------------------------------------------------------------

durability <- function(by) {
  keys <- vapply(rows, function(r) as.character(group_of(r, by)), character(1))
  responders <- vapply(rows, function(r) isTRUE(r$durability$responded), logical(1))
  time <- vapply(rows, function(r) if (isTRUE(r$durability$responded)) r$durability$time else NA_real_, numeric(1))
  event <- vapply(rows, function(r) isTRUE(r$durability$event), logical(1))
  groups <- lapply(ordered(keys[!is.na(keys)]), function(g) {
    take <- responders & !is.na(keys) & keys == g
    if (!any(take)) {
      return(list(group = g, n = 0, events = 0, median = NA, medianLower = NA, medianUpper = NA, curve = list()))
    }
    fit <- survfit(Surv(time[take], event[take]) ~ 1, conf.type = "log", conf.int = level)
    table <- summary(fit)$table
    curve <- c(
      list(list(time = 0, survival = 1, lower = 1, upper = 1, nRisk = sum(take), nEvent = 0, nCensor = 0)),
      lapply(seq_along(fit$time), function(i) {
        list(
          time = fit$time[i], survival = fit$surv[i], lower = fit$lower[i], upper = fit$upper[i],
          nRisk = fit$n.risk[i], nEvent = fit$n.event[i], nCensor = fit$n.censor[i]
        )
      })
    )
    list(
      group = g, n = sum(take), events = sum(event[take]),
      median = unname(table["median"]), medianLower = unname(table[paste0(level, "LCL")]),
      medianUpper = unname(table[paste0(level, "UCL")]), curve = curve
    )
  })
  tested <- responders & !is.na(keys)
  with_responders <- unique(keys[tested])
  out <- list(
    groupBy = by, unknown = sum(responders & is.na(keys)), groups = groups,
    logRankChiSquare = NA, logRankDf = NA, logRankP = NA
  )
  if (length(with_responders) >= 2 && any(event[tested])) {
    test <- survdiff(Surv(time[tested], event[tested]) ~ factor(keys[tested]))
    df <- length(test$n) - 1
    out$logRankChiSquare <- test$chisq
    out$logRankDf <- df
    out$logRankP <- pchisq(test$chisq, df, lower.tail = FALSE)
  }
  out
}

# ---- comparisons at a window -----------------------------------------------------------------------

comparison <- function(by, k) {
  keys <- vapply(rows, function(r) as.character(group_of(r, by)), character(1))
  judged <- vapply(rows, function(r) !is.null(r$windows[[k]]$responder50), logical(1))
  responder <- vapply(rows, function(r) isTRUE(r$windows[[k]]$responder50), logical(1))
  names <- ordered(keys[!is.na(keys)])
  counts <- lapply(names, function(g) {
    take <- !is.na(keys) & keys == g & judged
    wilson(sum(responder[take]), sum(take))
  })
  n <- vapply(counts, function(c) c$n, numeric(1))
  # The largest group; which.max takes the first of equals, and the names are in order.
  reference <- if (any(n > 0)) which.max(n) else NA
  groups <- lapply(seq_along(names), function(i) {
    g <- c(list(group = names[i]), counts[[i]], list(difference = NA, differenceLower = NA, differenceUpper = NA))
    if (!is.na(reference) && i != reference && counts[[i]]$n > 0) {
      d <- newcombe(counts[[i]], counts[[reference]])
      g$difference <- d$estimate
      g$differenceLower <- d$lower
      g$differenceUpper <- d$upper
    }
    g
  })
  list(
    by = by, window = windows[[k]]$visitId, reference = if (is.na(reference)) NA else names[reference],
    unknown = sum(is.na(keys) & judged), groups = groups
  )
}

# ---- predictors at a window ------------------------------------------------------------------------

flag <- function(b) if (is.null(b)) NA else as.numeric(b)
predictor_values <- function(r) {
  c(
    age = if (is.null(r$age)) NA else r$age / 10,
    female = if (is.null(r$sex) || r$sex == "unknown") NA else as.numeric(r$sex == "female"),
    baselineMmd = value(r$baseline$mmd),
    chronic = if (is.null(r$headacheType)) NA else as.numeric(r$headacheType == "chronic"),
    aura = flag(r$predictors$aura),
    medicationOveruse = flag(r$predictors$medicationOveruse),
    triggerSites = r$predictors$triggerSites,
    priorToxinOrBlockResponse = flag(r$predictors$priorToxinOrBlockResponse)
  )
}

predictors <- function(k, min_events) {
  judged <- Filter(function(r) !is.null(r$windows[[k]]$responder50), rows)
  X <- do.call(rbind, lapply(judged, predictor_values))
  y <- vapply(judged, function(r) as.numeric(r$windows[[k]]$responder50), numeric(1))
  complete <- complete.cases(X)
  Xc <- X[complete, , drop = FALSE]
  yc <- y[complete]
  p <- ncol(X)
  rarer <- min(sum(yc), sum(1 - yc))
  out <- list(
    window = windows[[k]]$visitId, outcome = "responder50", nEvaluable = nrow(X), n = nrow(Xc),
    nDropped = nrow(X) - nrow(Xc), responders = sum(yc), nonResponders = sum(1 - yc),
    eventsPerPredictor = rarer / p, minEventsPerPredictor = min_events, refused = NA
  )
  constant <- apply(Xc, 2, function(v) length(unique(v)) == 1)
  if (any(constant) || rarer < min_events * p) {
    out$refused <- "refused"
    out$terms <- lapply(colnames(X), function(name) {
      list(predictor = name, missing = sum(is.na(X[, name])), oddsRatio = NA, lower = NA, upper = NA, p = NA)
    })
    return(out)
  }
  design <- cbind(1, Xc)
  fit <- glm(yc ~ design - 1,
    family = binomial, method = "brglmFit", type = "AS_mean",
    control = brglmControl(epsilon = 1e-12, maxit = 200)
  )
  own <- firth_fit(design, yc)
  stopifnot(max(abs(own$beta - coef(fit)) / pmax(1, abs(coef(fit)))) < 1e-9)
  out$terms <- lapply(seq_len(p), function(j) {
    profile <- firth_profile(design, yc, j + 1, level, own)
    list(
      predictor = colnames(X)[j], missing = sum(is.na(X[, j])),
      oddsRatio = exp(unname(coef(fit)[j + 1])), lower = exp(profile$lower), upper = exp(profile$upper), p = profile$p
    )
  })
  out
}

# ---- funnels at a window ---------------------------------------------------------------------------

funnel_limit <- function(p, n, p0) {
  r <- qbinom(p, n, p0)
  at <- pbinom(r, n, p0)
  alpha <- (at - p) / (at - pbinom(r - 1, n, p0))
  min(1, max(0, (r - alpha) / n))
}

# A unit at the overall rate is inside (this decides only at an overall rate of 0 or 1).
position <- function(rate, p0, lower, upper) {
  if (rate == p0) "inside" else if (rate > upper + 1e-12) "above" else if (rate < lower - 1e-12) "below" else "inside"
}

funnel <- function(by, k) {
  keys <- vapply(rows, function(r) as.character(group_of(r, by)), character(1))
  judged <- vapply(rows, function(r) !is.null(r$windows[[k]]$responder50), logical(1))
  responder <- vapply(rows, function(r) isTRUE(r$windows[[k]]$responder50), logical(1))
  x <- sum(responder[judged])
  n <- sum(judged)
  p0 <- x / n
  units <- list()
  for (g in ordered(keys[!is.na(keys)])) {
    take <- !is.na(keys) & keys == g & judged
    if (!any(take)) next
    ux <- sum(responder[take])
    un <- sum(take)
    rate <- ux / un
    l95 <- c(funnel_limit(0.025, un, p0), funnel_limit(0.975, un, p0))
    l998 <- c(funnel_limit(0.001, un, p0), funnel_limit(0.999, un, p0))
    units[[length(units) + 1]] <- list(
      unit = g, x = ux, n = un, rate = rate,
      lower95 = l95[1], upper95 = l95[2], lower998 = l998[1], upper998 = l998[2],
      position95 = position(rate, p0, l95[1], l95[2]), position998 = position(rate, p0, l998[1], l998[2])
    )
  }
  list(by = by, window = windows[[k]]$visitId, x = x, n = n, rate = p0, unknown = sum(is.na(keys) & judged), units = units)
}

at_window <- function(visit) {
  k <- which(vapply(windows, function(w) w$visitId, character(1)) == visit)
  list(
    comparisons = lapply(c("procedureType", "decompression", "site", "surgeon"), comparison, k = k),
    predictors = predictors(k, input$minEventsPerPredictor),
    funnels = lapply(c("surgeon", "site"), funnel, k = k)
  )
}

groupings <- c("none", "procedureType", "decompression", "site", "surgeon")
write_expected("cohort-stats", list(
  r = R.version.string,
  level = level,
  windows = lapply(seq_along(windows), window_statistics),
  durability = setNames(lapply(groupings, durability), groupings),
  atWindow = list(m12 = at_window("m12"), m6 = at_window("m6"))
))
