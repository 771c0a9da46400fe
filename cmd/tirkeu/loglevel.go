package main

import (
	"log/slog"
	"os"
)

// logLevel reads TIRKEU_LOG_LEVEL (debug, info, warn, error; default info).
// An unknown value means info: logging must never stop the service.
func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("TIRKEU_LOG_LEVEL"))); err != nil {
		return slog.LevelInfo
	}
	return l
}
