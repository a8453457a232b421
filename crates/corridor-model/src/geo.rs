//! Great-circle geometry shared by every crate that measures between coordinates.

/// Mean Earth radius, km (6371, the value every distance of the curated dataset was measured with).
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance in km between two (lat, lon) points in degrees (haversine formula).
///
/// ```
/// use corridor_model::geo::haversine_km;
/// let d = haversine_km((52.52, 13.405), (48.8566, 2.3522)); // Berlin–Paris
/// assert!((d - 878.0).abs() < 5.0);
/// ```
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}
