// Command themesdump prints the themes the insights jobs found in a
// warehouse file: scope, size and label, largest first. A check for the
// demo's texts: go run ./demo/internal/themesdump DATA/warehouse.duckdb
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/civicpulse/civicpulse/warehouse"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: themesdump WAREHOUSE.duckdb")
	}
	wh, err := warehouse.Open(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	defer wh.Close()
	rows, err := wh.Read().Query(`SELECT process_id, scope, scope_id, size, label FROM themes
		WHERE merged_into = 0 ORDER BY process_id, scope, scope_id, size DESC`)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var proc, scopeID, size int64
		var scope, label string
		if err := rows.Scan(&proc, &scope, &scopeID, &size, &label); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("p%d %s/%d\t%d\t%s\n", proc, scope, scopeID, size, label)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	var camps, members int64
	if err := wh.Read().QueryRow(`SELECT (SELECT count(*) FROM campaigns), (SELECT count(*) FROM campaign_members)`).Scan(&camps, &members); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("campaigns: %d, members: %d\n", camps, members)
}
