// Package resid is the caravan client for resid; see its issue for status.
package resid
