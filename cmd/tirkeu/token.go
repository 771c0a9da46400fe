package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"tirkeu/internal/residence"
)

func init() {
	commands["token"] = command{"create a staff or agency bearer token: token create --role operator|agency|admin [--name NAME] [--purpose address:read,residents:read,events:read]", runToken}
}

func runToken(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: tirkeu token create --role operator|agency|admin [--name NAME] [--purpose address:read,residents:read,events:read]")
		return 2
	}
	cfg, _, err := loadConfig("token", nil)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu token:", err)
		return 2
	}
	fs := flag.NewFlagSet("tirkeu token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "operator, agency or admin")
	name := fs.String("name", "", "who the token is for (default: the role)")
	purpose := fs.String("purpose", "", "agency tokens: what the agency may read, comma-separated: "+
		residence.JoinPurposes(residence.Purposes)+" (default: "+residence.JoinPurposes(residence.DefaultPurposes)+")")
	fs.StringVar(&cfg.DatabaseURL, "database", cfg.DatabaseURL, "database URL (TIRKEU_DATABASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *name == "" {
		*name = *role
	}
	purposes, err := residence.ParsePurposes(*purpose)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu token:", err)
		return 2
	}
	// A token lives in the database of the server that will accept it. A
	// SQLite file that does not exist yet is not that database: creating
	// one here would hand out a token no server knows.
	if path, ok := strings.CutPrefix(cfg.DatabaseURL, "sqlite:"); ok {
		path = strings.TrimPrefix(path, "//")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stderr, "tirkeu token: %s does not exist: start `tirkeu serve` once first (it creates the database), or name the server's database with --database or TIRKEU_DATABASE_URL\n", path)
			return 1
		}
	}
	st := openStore(ctx, "token", cfg.DatabaseURL, true, stderr)
	if st == nil {
		return 1
	}
	defer st.Close()
	svc := residence.NewService(st, residence.SystemClock{}, cfg.serviceConfig(), nil, nil)
	plain, t, err := svc.CreateToken(ctx, *name, residence.Role(*role), purposes...)
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu token:", err)
		return 1
	}
	out := map[string]string{"token": plain, "role": string(t.Role), "name": t.Name, "id": t.ID}
	if len(t.Purposes) > 0 {
		out["purposes"] = residence.JoinPurposes(t.Purposes)
	}
	_ = json.NewEncoder(stdout).Encode(out)
	fmt.Fprintf(stderr, "tirkeu token: stored in %s; shown once, keep it: only its hash is kept\n", redactURL(cfg.DatabaseURL))
	return 0
}
