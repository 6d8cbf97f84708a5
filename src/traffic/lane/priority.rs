//! Where the header lane's rule goes: a free priority directly above the route's rule, or, for
//! a listener's default action, after every rule.
//!
//! Rules are evaluated lowest priority first and the first match wins. The lane's rule matches
//! the route's conditions plus the header, so it must win over the route's rule and over
//! nothing else: between it and the route's rule there may be no other rule (which requests
//! with the header would otherwise skip). So the lane takes `route - 1` when that is free, and
//! refuses when it is not, rather than jumping over someone else's rule. A listener's default
//! action matches what no rule matched, so there the lane goes after the last rule.

/// The lane's priority, given the priorities of the listener's rules (the default rule left
/// out), the route's rule's priority (`None` for the default action) and the backend's highest
/// priority; or why there is none, naming what to change.
pub fn choose(taken: &[u32], route: Option<u32>, highest: u32) -> Result<u32, String> {
    match route {
        Some(route) => {
            let above = route.checked_sub(1).filter(|p| *p >= 1);
            match above {
                Some(p) if !taken.contains(&p) => Ok(p),
                Some(p) => Err(format!(
                    "no free priority directly above the route's rule (priority {route}): \
                     priority {p} is another rule's, and the lane may not jump over it; move the \
                     route's rule so that the priority before it is free"
                )),
                None => Err(format!(
                    "the route's rule has priority {route}, the first: no priority is above it; \
                     move the route's rule to a higher number"
                )),
            }
        }
        None => {
            let last = taken.iter().copied().max().unwrap_or(0);
            match last < highest {
                true => Ok(last + 1),
                false => Err(format!(
                    "the listener's last rule has priority {last}, the highest there is: no \
                     priority is free after it for the lane"
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::choose;

    #[test]
    fn a_rule_route_gets_the_priority_just_above_it() {
        assert_eq!(choose(&[5, 10, 20], Some(10), 100), Ok(9));
        assert_eq!(choose(&[], Some(2), 100), Ok(1));
    }

    #[test]
    fn a_rule_with_a_neighbour_above_or_at_the_top_is_refused() {
        let err = choose(&[9, 10], Some(10), 100).expect_err("9 is taken");
        assert!(err.contains("priority 9 is another rule's"), "{err}");
        let err = choose(&[1], Some(1), 100).expect_err("nothing above 1");
        assert!(err.contains("the first"), "{err}");
    }

    #[test]
    fn a_default_action_route_gets_the_priority_after_every_rule() {
        assert_eq!(choose(&[], None, 100), Ok(1));
        assert_eq!(choose(&[3, 40, 7], None, 100), Ok(41));
        let err = choose(&[100], None, 100).expect_err("full");
        assert!(err.contains("highest"), "{err}");
    }
}
