// Command fssim simulates how Windows legacy file-system filter drivers find
// file systems and volumes: type verbs such as "fs register ntfs",
// "filter load av --notify" and "mount C:" and watch the I/O manager's trace
// and the device stacks it builds.
package main

import "os"

func main() {
	endOnSignal(cleanUpTempFiles, os.Exit)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
