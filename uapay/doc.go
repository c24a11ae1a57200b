// Package uapay is the caravan client for uapay; see its issue for status.
package uapay
