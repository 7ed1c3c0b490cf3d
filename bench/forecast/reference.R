# R's forecast package on the protocol of `promopilot forecast eval --dataset dominicks-oj` (issue 10):
# store x brand weekly units exp(logmove), series whose last 52 weeks have no gap, each series its gap-free tail,
# the last H weeks held out; WAPE = sum|y - f| / sum|y|, coverage of the 90% interval, seconds of fitting.
# Usage: Rscript bench/forecast/reference.R ../shared/data/dominicks_oj [H] [methods: ets,arima] [per-series csv out]
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "../shared/data/dominicks_oj"
H <- if (length(args) >= 2) as.integer(args[2]) else 12L
methods <- if (length(args) >= 3) strsplit(args[3], ",")[[1]] else c("ets", "arima")
out <- if (length(args) >= 4) args[4] else NA
d <- read.csv(gzfile(file.path(dir, "oj_yx.csv.gz")))
d <- d[order(d$store, d$brand, d$week), ]
series <- list()
for (key in split(d, list(d$store, d$brand), drop = TRUE)) {
  w <- key$week; last <- max(w); first <- last
  while ((first - 1) %in% w) first <- first - 1
  if (last - first + 1 >= 52) {
    k <- key[key$week >= first, ]
    series[[length(series) + 1]] <- list(store = k$store[1], brand = k$brand[1], y = exp(k$logmove))
  }
}
cat(sprintf("%d series, %d points\n", length(series), length(series) * H), file = stderr())
per <- data.frame()
for (m in methods) {
  abs_err <- 0; abs_act <- 0; covered <- 0; n <- 0
  t0 <- proc.time()[["elapsed"]]
  for (s in series) {
    y <- s$y; nn <- length(y)
    train <- ts(y[1:(nn - H)]); test <- y[(nn - H + 1):nn]
    fit <- if (m == "ets") ets(train) else auto.arima(train)
    fc <- forecast(fit, h = H, level = 90)
    abs_err <- abs_err + sum(abs(test - fc$mean)); abs_act <- abs_act + sum(abs(test))
    covered <- covered + sum(test >= fc$lower[, 1] & test <= fc$upper[, 1]); n <- n + H
    if (m == "ets") per <- rbind(per, data.frame(store = s$store, brand = s$brand, model = sub("^ETS\\((.*)\\)$", "\\1", fit$method), aicc = fit$aicc, wape_num = sum(abs(test - fc$mean))))
  }
  secs <- proc.time()[["elapsed"]] - t0
  cat(sprintf('{"method": "%s", "wape": %.4f, "coverage_90": %.4f, "series": %d, "seconds": %.2f}\n', m, abs_err / abs_act, covered / n, length(series), secs))
}
if (!is.na(out) && nrow(per) > 0) write.csv(per, out, row.names = FALSE)
