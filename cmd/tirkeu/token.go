package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"tirkeu/internal/residence"
)

func init() {
	commands["token"] = command{"create a staff or agency bearer token: token create --role operator|agency|admin --name NAME", runToken}
}

func runToken(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: tirkeu token create --role operator|agency|admin [--name NAME]")
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
	fs.StringVar(&cfg.DatabaseURL, "database", cfg.DatabaseURL, "database URL (TIRKEU_DATABASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *name == "" {
		*name = *role
	}
	st := openStore(ctx, "token", cfg.DatabaseURL, true, stderr)
	if st == nil {
		return 1
	}
	defer st.Close()
	svc := residence.NewService(st, residence.SystemClock{}, cfg.serviceConfig(), nil, nil)
	plain, t, err := svc.CreateToken(ctx, *name, residence.Role(*role))
	if err != nil {
		fmt.Fprintln(stderr, "tirkeu token:", err)
		return 1
	}
	_ = json.NewEncoder(stdout).Encode(map[string]string{"token": plain, "role": string(t.Role), "name": t.Name, "id": t.ID})
	return 0
}
