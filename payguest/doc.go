// Package payguest is the caravan client for payguest; see its issue for status.
package payguest
