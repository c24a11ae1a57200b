// Command quickstart runs every provider's example flow against its
// built-in fake server. It needs no credentials and no variables.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/caravanpay/caravan/examples/internal/demo"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	failed := 0
	for _, f := range demo.All() {
		fmt.Printf("== %s\n", f.Name)
		if err := f.Run(ctx, os.Stdout, demo.NoEnv); err != nil {
			fmt.Printf("error: %v\n", err)
			failed++
		}
	}
	if failed > 0 {
		fmt.Printf("%d provider flow(s) failed\n", failed)
		os.Exit(1)
	}
	fmt.Println("all provider flows succeeded")
}
