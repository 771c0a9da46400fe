package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"tirkeu/internal/store"
)

// openStore opens the database at url for a command, keyed with the audit
// key (TIRKEU_AUDIT_KEY, auditKey), logging the store's warnings to stderr,
// and migrates it when migrate is set. On failure it
// prints "tirkeu NAME: reason" to stderr and returns nil.
func openStore(ctx context.Context, name, url string, migrate bool, stderr io.Writer) store.Store {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// Every command keys the event chain as serve does: migrating stamps
	// the keyed chain, and sealing or verifying needs the key.
	key, _, err := auditKey(production())
	if err != nil {
		fmt.Fprintf(stderr, "tirkeu %s: %v\n", name, err)
		return nil
	}
	st, err := store.Open(ctx, url, logger, store.WithAuditKey(key))
	if err != nil {
		fmt.Fprintf(stderr, "tirkeu %s: %v\n", name, err)
		return nil
	}
	if migrate {
		if err := st.Migrate(ctx); err != nil {
			fmt.Fprintf(stderr, "tirkeu %s: migrate: %v\n", name, err)
			st.Close()
			return nil
		}
	}
	return st
}
