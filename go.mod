module github.com/fssim/fssim

go 1.24
