// Package inex is the caravan client for inex; see its issue for status.
package inex
