package main

import (
	"context"
	"errors"
)

func runAnalyze(ctx context.Context, args []string) error { return errors.New("not wired yet") }
func runImport(ctx context.Context, args []string) error  { return errors.New("not wired yet") }
