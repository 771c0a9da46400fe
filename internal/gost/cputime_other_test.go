//go:build !linux

package gost

func threadCPU() int64 { return 0 }
