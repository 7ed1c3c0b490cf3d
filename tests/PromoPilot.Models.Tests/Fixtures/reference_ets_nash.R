# Reference values for tests/PromoPilot.Models.Tests/Forecasting/EtsNashReferenceTests.cs: forecast::ets's automatic
# selection on synthetic weekly unit series shaped like store x brand sales (positive integers, a base level with
# noise, occasional promotion spikes of 3-20x, some with a slow drift), non-seasonal (ts frequency 1), 40 to 110 weeks.
# Series 0 starts low and spikes at weeks 9-10, so the regression start of trend types has a negative level (kept by
# forecast::ets). Per series: the chosen type, its parameters, log-likelihood, AICc and 12 point forecasts, and the
# log-likelihood of each non-seasonal type fitted alone.
# Run from this folder:  Rscript reference_ets_nash.R   (R 4.2, forecast 8.20; writes reference_ets_nash.json)
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })
set.seed(20261123)
make <- function(n, base, drift, spikes) {
  t <- 1:n
  level <- base * exp(drift * t / n)
  y <- round(level * exp(rnorm(n, 0, 0.35)))
  s <- sample(t, spikes)
  y[s] <- round(y[s] * runif(spikes, 3, 20))
  pmax(y, 1)
}
series <- list(c(64, 80, 32, 16, 64, 48, 40, 72, 600, 1100, 240, 88, 150, 70, 96, 260, 72, 150, 80, 240,
                 11000, 56, 144, 280, 120, 150, 1380, 150, 600, 510, 190, 176, 88, 168, 88, 184, 112, 264, 184, 216,
                 184, 224, 150, 90))
for (i in 1:13) {
  series[[length(series) + 1]] <- make(sample(40:110, 1), round(exp(runif(1, 5, 9))), runif(1, -1, 1), sample(1:8, 1))
}
types <- list(ANN = c("ANN", FALSE), AAN = c("AAN", FALSE), AAdN = c("AAN", TRUE), MNN = c("MNN", FALSE), MAN = c("MAN", FALSE), MAdN = c("MAN", TRUE))
out <- lapply(series, function(y) {
  fit <- ets(ts(y))
  p <- fit$par
  g <- function(name) if (name %in% names(p)) unname(p[name]) else 0
  logliks <- sapply(names(types), function(t) ets(ts(y), model = types[[t]][1], damped = as.logical(types[[t]][2]))$loglik)
  list(values = y, type = gsub("[(),]", "", sub("^ETS\\((.*)\\)$", "\\1", fit$method)),
       alpha = g("alpha"), beta = g("beta"), phi = g("phi"), level = g("l"), slope = g("b"),
       loglik = fit$loglik, aicc = fit$aicc, mean = as.numeric(forecast(fit, h = 12)$mean), logliks = as.list(logliks))
})
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "reference_ets_nash.json")
print(table(sapply(out, function(o) o$type)))
