// Package activeplatform is the caravan client for activeplatform; see its issue for status.
package activeplatform
