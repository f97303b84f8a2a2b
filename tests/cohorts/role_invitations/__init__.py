"""Program roles by invitation (cohorts/invitations.py): nobody is listed on a program by someone else's word alone.

A manager invites an email address; the page answers the same whether an account has it or not and never names
the account; the link's token is random and stored only hashed; only the account that confirmed the address may
accept or decline; a withdrawn, answered or expired invitation is refused with a clear 410; the people a manager
may see in the admin are those listed on the program, not those merely invited."""
