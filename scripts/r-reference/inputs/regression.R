# Draws the committed regression inputs (test/stats/reference/inputs/regression-*.json) from fixed
# seeds. Run from the repository root: Rscript scripts/r-reference/inputs/regression.R
suppressPackageStartupMessages(library(jsonlite))
dir <- "test/stats/reference/inputs"
put <- function(name, value) {
  writeLines(toJSON(value, digits = NA, auto_unbox = TRUE, pretty = FALSE), file.path(dir, paste0(name, ".json")))
}
r4 <- function(x) round(x, 4)

# Firth: ordinary data, intercept + continuous + binary
set.seed(11)
n <- 60; x1 <- r4(rnorm(n)); x2 <- rbinom(n, 1, 0.4)
y <- rbinom(n, 1, plogis(-0.4 + 0.9 * x1 + 0.7 * x2))
put("regression-firth-ordinary", list(description = "60 rows: intercept, a standard normal covariate, a binary covariate; y from logit -0.4 + 0.9 x1 + 0.7 x2 (R set.seed(11))",
  design = cbind(1, x1, x2), y = y, level = 0.95, profile = I(c(0, 1, 2))))

# complete separation: y = 1 exactly when x > 0
set.seed(12)
x <- r4(sort(rnorm(20))); y <- as.integer(x > 0)
put("regression-firth-complete-separation", list(description = "20 rows, y = 1 exactly when x > 0 (complete separation; ordinary ML diverges)",
  design = cbind(1, x), y = y, level = 0.95, profile = I(c(0, 1))))

# quasi-complete separation: every exposed row has an event; plus a continuous covariate
set.seed(13)
n <- 40; e <- rep(0:1, c(30, 10)); z <- r4(rnorm(n))
y <- ifelse(e == 1, 1L, rbinom(n, 1, plogis(-0.8 + 0.5 * z)))
put("regression-firth-quasi-separation", list(description = "40 rows, binary exposure (10 exposed, all with the event: quasi-complete separation) and a continuous covariate",
  design = cbind(1, e, z), y = y, level = 0.95, profile = I(c(0, 1, 2))))

# binary-only quasi-separation (exposed rows never have the event): one 2x2 table
set.seed(14)
n <- 120; e <- rep(0:1, c(105, 15)); y <- ifelse(e == 1, 0L, rbinom(n, 1, 0.3))
put("regression-firth-zero-cell", list(description = "120 rows, intercept + binary exposure; the 15 exposed rows have no event (a zero cell)",
  design = cbind(1, e), y = y, level = 0.95, profile = I(c(1))))

# rare exposure: 2 exposed rows of 300
set.seed(15)
n <- 300; e <- c(rep(0, 298), 1, 1); y <- rbinom(n, 1, 0.12); y[299] <- 1L; y[300] <- 0L
put("regression-firth-rare-exposure", list(description = "300 at-risk days, 2 exposed (one with an onset), about 12 % onsets",
  design = cbind(1, e), y = y, level = 0.95, profile = I(c(1))))

# trigger-style: 420 days, exposure at about 30 %, odds ratio about 2; and adjusted for menstruation
set.seed(16)
n <- 420; e <- rbinom(n, 1, 0.3); m <- rbinom(n, 1, 0.15)
y <- rbinom(n, 1, plogis(-2.2 + 0.7 * e + 0.5 * m))
put("regression-firth-trigger", list(description = "420 at-risk days, binary exposure (odds ratio about 2), outcome an attack onset",
  design = cbind(1, e), y = y, level = 0.95, profile = I(c(1))))
put("regression-firth-trigger-adjusted", list(description = "the same 420 days adjusted for a binary menstruation covariate; 90 % level",
  design = cbind(1, e, m), y = y, level = 0.90, profile = I(c(1, 2))))

# n = 10
set.seed(17)
x <- r4(runif(10, 0, 10)); y <- c(0, 0, 1, 0, 1, 1, 0, 1, 1, 1)
put("regression-firth-n10", list(description = "10 rows, intercept + a covariate uniform on 0-10",
  design = cbind(1, x), y = y, level = 0.95, profile = I(c(0, 1))))

# intercept only
put("regression-firth-intercept-only", list(description = "25 rows with 3 events, intercept only",
  design = matrix(1, 25, 1), y = c(rep(1, 3), rep(0, 22)), level = 0.95, profile = I(c(0))))

# cohort "who benefits": 9 predictors on 450 rows
set.seed(18)
n <- 450
age <- round(rnorm(n, 44, 11)); sex <- rbinom(n, 1, 0.8); mmd <- pmin(30, pmax(4, round(rnorm(n, 14, 6))))
chronic <- as.integer(mmd >= 15); aura <- rbinom(n, 1, 0.3); moh <- rbinom(n, 1, 0.25)
sites <- sample(1:4, n, TRUE, c(0.3, 0.35, 0.25, 0.1)); botox <- rbinom(n, 1, 0.5); block <- rbinom(n, 1, 0.6)
lp <- -0.3 - 0.01 * (age - 44) + 0.2 * sex - 0.03 * (mmd - 14) - 0.2 * chronic + 0.1 * aura - 0.5 * moh + 0.15 * sites + 0.6 * botox + 0.4 * block - 0.5
y <- rbinom(n, 1, plogis(lp))
put("regression-firth-cohort", list(description = "450 patients: 50 % response at 12 months on age, sex, baseline MMD, chronic, aura, medication overuse, number of trigger sites, prior botulinum toxin response, nerve block response",
  design = cbind(1, age, sex, mmd, chronic, aura, moh, sites, botox, block), y = y, level = 0.95, profile = I(0:9)))

# negative binomial: overdispersed counts, unequal exposure days, a binary and a continuous covariate
suppressPackageStartupMessages(library(MASS))
set.seed(21)
n <- 120; days <- sample(14:90, n, TRUE); g <- rbinom(n, 1, 0.5); a <- r4(rnorm(n))
mu <- days / 28 * exp(1.6 - 0.5 * g + 0.3 * a); y <- rnegbin(n, mu, theta = 1.5)
put("regression-nb-overdispersed", list(description = "120 patients: headache days over 14-90 diary days (offset log days), a binary group and a standardised covariate, theta 1.5",
  design = cbind(1, g, a), y = y, offset = r4(log(days)), days = days))
set.seed(22)
n <- 15; days <- sample(20:40, n, TRUE); g <- rep(0:1, length.out = n)
y <- rnegbin(n, days / 28 * exp(1.2 + 0.6 * g), theta = 3)
put("regression-nb-small", list(description = "15 patients, binary covariate, offset log days",
  design = cbind(1, g), y = y, offset = r4(log(days)), days = days))
set.seed(23)
n <- 80; days <- sample(20:60, n, TRUE); g <- rbinom(n, 1, 0.5)
y <- rpois(n, days / 28 * exp(1 + 0.3 * g))
put("regression-nb-poisson-limit", list(description = "80 patients, Poisson counts (no overdispersion), binary covariate, offset log days: the negative binomial theta runs off to infinity",
  design = cbind(1, g), y = y, offset = r4(log(days)), days = days))
put("regression-firth-several-maxima", list(description = "13 rows, 2 integer covariates: on parts of the profile the penalised likelihood has more than one local maximum in the other coefficients, and the Venzon-Moolgavkar iteration alone ends on a lower one (found by a property test)",
  design = rbind(c(1,2,-2),c(1,3,-2),c(1,-2,1),c(1,1,0),c(1,0,3),c(1,3,-2),c(1,0,-1),c(1,0,-2),c(1,3,1),c(1,2,0),c(1,0,0),c(1,2,0),c(1,-1,-1)),
  y = c(1,1,1,1,0,0,1,1,0,0,1,0,1), level = 0.95, profile = I(0:2)))
