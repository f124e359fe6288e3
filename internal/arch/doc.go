// Package arch holds no code: its test checks the shape of the module, that
// every import runs downward through the layers ARCHITECTURE.md draws and
// that the domain packages stay free of databases and the network.
package arch
