// Command isapath prints the kernel path that aegraph runs on this CPU and
// why (for the benchmark scripts' headers).
package main

import (
	"fmt"

	"github.com/aegraph/aegraph/internal/isa"
)

func main() { fmt.Println(isa.Describe()) }
